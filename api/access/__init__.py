"""Who may do what: logins, tokens, passwords, OIDC, security policies, accounts, court scope."""
