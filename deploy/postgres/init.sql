-- The application database; the portal's role is created by migration 0002 (songda migrate).
CREATE DATABASE songda;
