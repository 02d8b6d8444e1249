"""The `songda` command line; `main` registers every command explicitly."""
