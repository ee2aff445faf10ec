"""预约办理: booking a visit to a service centre (regulation Art. 8)."""
