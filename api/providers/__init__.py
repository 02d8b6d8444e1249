"""Provider webhooks and the portal's receipts, forwarded to the tasks they belong to."""
