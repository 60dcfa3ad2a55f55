"""Pages of the archive app: certification/unlock/handover/complaints, and the election archive."""
