"""The knowledge module: curated catalog, document ingestion and retrieval."""
