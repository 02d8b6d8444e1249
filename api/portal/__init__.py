"""The recipient portal: the internet-facing app where a party reads and signs for documents."""
