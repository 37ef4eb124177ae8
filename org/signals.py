from django.dispatch import Signal

# Sent after any write to org units: a save or delete (admin, services) and the tree's bulk load.
# Other apps' caches of what units look like (names, merges, paths) listen to it.
units_changed = Signal()
