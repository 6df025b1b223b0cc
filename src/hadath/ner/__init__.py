"""Arabic named entities: a small CRF tagger trained by the project and shipped in the package."""
