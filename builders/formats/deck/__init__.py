"""The deck's own machinery: template geometry, font metrics, the slide plan and the reference deck."""
