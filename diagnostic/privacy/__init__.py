"""Participants' personal data under the RGPD: notice, consents, access, erasure and retention."""
