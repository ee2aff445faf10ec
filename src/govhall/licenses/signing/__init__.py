"""The signing-backend plugin point: who holds the private keys (a file, an HSM)."""
