"""Package discovery: every folder below builders/, and the top-level themes/ as builders.themes.

Everything else is in pyproject.toml. Discovery cannot see themes/ (its package-dir maps it
in), so its folders are listed here too: a theme folder is data, shipped as a package so
setuptools does not warn that it "would be ignored".
"""

from setuptools import find_namespace_packages, setup

THEMES = ["builders.themes", *(f"builders.themes.{name}" for name in find_namespace_packages(where="themes"))]

# Namespace discovery: a folder of data inside the package (builders/build/preview/assets) is
# shipped as what setuptools calls a package too, so it never "would be ignored".
PACKAGES = find_namespace_packages(include=["builders", "builders.*"], exclude=["*.__pycache__"])

setup(packages=[*PACKAGES, *THEMES])
