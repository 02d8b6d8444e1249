"""The console for judges, clerks and supervisors: server-rendered pages served by the API."""
