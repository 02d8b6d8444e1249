"""Evidence uploaded to work orders: storing, listing and serving it to who may see it."""
