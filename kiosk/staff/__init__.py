"""Staff and technician sign-in without Qt: PIN hashes, lockout kept in the database, QR sign-in."""
