"""The rule table: legal waits and preconditions as versioned data, each naming its source.

An amendment of the law is a change here and a new RULE_VERSION; every plan records the version
that chose it.
"""

from __future__ import annotations

RULE_VERSION = "2026.11-1"

# How long each rung waits for its outcome before the ladder moves on (settings of the centre):
# calendar days for machines, workdays for people's work orders (phone, direct).
WAIT_DAYS = {
    "electronic": 3.0,
    "phone": 3.0,
    "mail": 10.0,
    "direct": 5.0,
}

# CPL 95: deemed served once the period has passed from the issue date.
PUBLIC_NOTICE_DAYS = 30
PUBLIC_NOTICE_DAYS_FOREIGN = 60  # CPL 283 (2023)

# Interp. 140: no public notice in simplified procedure (small claims is a form of it).
NO_PUBLIC_NOTICE_PROCEDURES = frozenset({"simplified", "small_claims"})
# Mediation statements: no leaving, no public notice, no simple means (Interp. 133).
MEDIATION_KINDS = frozenset({"mediation"})
# Simple means never serve judgments or rulings (Interp. 261).
NOT_BY_SIMPLE_MEANS = frozenset({"judgment", "ruling", "mediation"})

SOURCES = {
    "electronic_consent": "CPL 90; Online Litigation Rules 29",
    "electronic_reminder": "Online Litigation Rules 32",
    "simple_means": "Interp. 261",
    "mail": "CPL 91",
    "direct": "CPL 88",
    "public_notice": "CPL 95; Interp. 138-140",
}
