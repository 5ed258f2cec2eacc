"""Cleanup interventions: contractors, planning from verified reports, tenant notice, before/after evidence."""
