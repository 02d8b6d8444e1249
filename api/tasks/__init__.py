"""One party's task: timeline, retry, skip-step, cancel and new contacts."""
