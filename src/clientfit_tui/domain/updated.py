"""The model with a change made: what a write's result is checked against."""

from __future__ import annotations

from .model import Client, Data, Incident, Invoice, Review


def with_item(client: Client, array: str, item: Incident | Invoice | Review) -> Client:
    """The client with one more element at the end of an array."""
    if isinstance(item, Incident) and array == "incidents":
        return client._replace(incidents=(*client.incidents, item))
    if isinstance(item, Invoice) and array == "invoices":
        return client._replace(invoices=(*client.invoices, item))
    if isinstance(item, Review) and array == "reviews":
        return client._replace(reviews=(*client.reviews, item))
    raise ValueError(f"not an element of {array!r}: {item!r}")


def with_clients(data: Data, clients: dict[str, Client]) -> Data:
    """`data` with some clients replaced or added (file order kept, new ones last)."""
    merged = dict(data.clients)
    merged.update(clients)
    return Data(data.settings, merged)
