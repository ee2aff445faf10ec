"""A generic HTTP gateway speaking signed JSON, with delivery-receipt callbacks."""
