"""Participants' personal data under the RGPD: consent, access, erasure and retention."""
