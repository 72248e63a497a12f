from django.dispatch import Signal

# An attendee's answer to an invitation was recorded (calendar REPLY, portal, staff). Sent inside the
# recording transaction with `invitation`; the portal refreshes the candidate's overview on it.
invitation_answered = Signal()
