"""Notifications: the durable SMS outbox."""
