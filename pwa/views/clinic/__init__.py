"""The clinic's pages under /clinic/, one module per page group. Every view gets the
clinician's membership from `clinician_required`; nothing here decides who may see what."""
