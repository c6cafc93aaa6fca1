"""Package discovery: every package below builders/, and the top-level themes/ as builders.themes.

Everything else is in pyproject.toml. Discovery cannot see themes/ (its package-dir maps it
in), so its folders are listed here too: a theme folder is data, shipped as a package so
setuptools does not warn that it "would be ignored".
"""

from setuptools import find_namespace_packages, find_packages, setup

THEMES = ["builders.themes", *(f"builders.themes.{name}" for name in find_namespace_packages(where="themes"))]

setup(packages=[*find_packages(include=["builders", "builders.*"]), *THEMES])
