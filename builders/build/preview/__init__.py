"""`triptych preview`: the three artefacts side by side in the browser, live while writing."""
