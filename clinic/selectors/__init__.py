"""Reads on the clinic side, one module per concept. Everything a clinician reads is
scoped by their membership's clinic here, so pages and the API cannot forget to scope it.

- `patient_list`: the clinic's patients, who needs a call first
- `patient_page`: one patient: the record behind an id, sessions, the CSV rows
- `invitations`, `prescriptions`, `appointments`: the clinic's rows of each
- `routines`: the routine editor, versions and diffs
- `push`: who gets a routine's update by Web Push
- `membership`: a person's own clinic, for pages that name it
"""
