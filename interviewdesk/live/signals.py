from django.dispatch import Signal

# "How many extra minutes were approved for this appointment?" Sent with `appointment` when the
# first attempt of a session starts; each receiver returns whole minutes (the portal answers with
# the adjustments the selection officer approved). The largest answer counts.
extra_minutes_requested = Signal()
