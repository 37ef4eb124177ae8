"""django-simple-history's ``HistoricalRecords``, without a query it always answers with nothing.

With ``m2m_fields``, every historical record also copies the model's through rows, read with a
query joining both sides. For a row just inserted ("+", from ``post_save`` right after the INSERT)
there cannot be any through rows yet: they need its primary key. The m2m rows added afterwards get
their own "~" record (simple-history's ``m2m_changed`` handler), with its copy. So a new help session
is logged with one query fewer and no instance rebuilt from its history row.
"""

from simple_history.models import HistoricalRecords as _HistoricalRecords


class HistoricalRecords(_HistoricalRecords):
    def create_historical_record_m2ms(self, history_instance, instance):
        if history_instance.history_type == "+":
            return
        super().create_historical_record_m2ms(history_instance, instance)
