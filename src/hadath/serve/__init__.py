"""The HTTP side: a FastAPI app over the event store (`hadath serve`), its exports and its dashboard."""
