"""Work orders for clerks and bailiffs: queue, claim and assignment, calls, outcomes."""
