"""Steps 6-7: telling the applicant, and letting anyone verify a permit."""
