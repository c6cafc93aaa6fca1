"""Package discovery: every package below builders/ ships, plus the top-level themes/ as builders.themes.

pyproject.toml holds everything else; discovery alone cannot see themes/ (mapped by its package-dir).
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["builders", "builders.*"]), "builders.themes"])
