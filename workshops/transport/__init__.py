"""How the live frames reach the phones: the Socket.IO server's transport options."""
