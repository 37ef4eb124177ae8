from rest_framework.pagination import CursorPagination, PageNumberPagination


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PortalCursorPagination(CursorPagination):
    """Keyset pages for the lists that grow without bound (help sessions, activities, volunteers).

    Page 5,000 costs what page 1 costs: the cursor says where the last page stopped, so the database
    reads on from there by the ordering's index instead of counting and skipping rows. No total
    count (that would scan); follow ``next`` until it is null. The ordering is the view's (``?ordering=``
    among its ``ordering_fields``), else newest first.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
