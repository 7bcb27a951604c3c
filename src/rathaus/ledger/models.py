"""The log's tables.

``Pending`` is the outbox producers write to in their own transaction; the sequencer moves
its rows into ``Entry`` (leaf index = primary key, so two entries can never share a place
in the tree) and stores the tree as C2SP tiles in ``Tile``. ``LogState`` is the single row
every sequencing run locks: one sequencer at a time, whatever the number of workers.
Every signed ``Checkpoint`` is kept, so the audit can show that each one is a prefix of
today's tree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The kinds of fact the log takes; each producer module uses its own.
KINDS = {
    "bescheid": _("Bescheid"),
    "opendata-release": _("Open-Data-Veröffentlichung"),
    "algorithm-register": _("Änderung im Algorithmenregister"),
    "lottery": _("Verlosung (Liste mit Startwert und Ergebnis)"),
    "participation-result": _("Ergebnis einer Beteiligung"),
}


class Pending(models.Model):
    """A record waiting for the sequencer (the outbox)."""

    record = models.TextField()
    kind = models.CharField(max_length=40)
    reference = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wartender Eintrag")
        verbose_name_plural = _("wartende Einträge")

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"


class Entry(models.Model):
    """A record in the log. ``record`` is the canonical JSON the leaf hash is made of;
    ``kind``, ``reference`` and ``sha256`` repeat it for lookups (the audit compares them)."""

    index = models.BigIntegerField(_("Eintrag Nr."), primary_key=True)
    record = models.TextField()
    kind = models.CharField(_("Art"), max_length=40, choices=KINDS.items(), db_index=True)
    reference = models.CharField(_("Bezug"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    outbox_id = models.BigIntegerField(unique=True)
    sequenced_at = models.DateTimeField(_("Aufgenommen am"))

    class Meta:
        ordering = ["index"]
        verbose_name = _("Logeintrag")
        verbose_name_plural = _("Logeinträge")

    def __str__(self) -> str:
        return f"#{self.index} {self.kind} {self.reference}"


class Tile(models.Model):
    """One tile of the tree: up to 256 hashes of Merkle level ``8 × level`` (C2SP tlog-tiles).
    The row of the right-most tile of a level grows until it is full; full tiles never change."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hashes = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="ledger_tile_once")]

    def __str__(self) -> str:
        return f"tile/{self.level}/{self.index} ({len(self.hashes) // 32})"


class LogState(models.Model):
    """The tree as far as it is sequenced (one row, id 1)."""

    size = models.BigIntegerField(default=0)
    root = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.size}"


class Checkpoint(models.Model):
    """A signed checkpoint as it was published: the whole signed note."""

    size = models.BigIntegerField(_("Baumgröße"), db_index=True)
    root = models.BinaryField()
    note = models.TextField()
    created_at = models.DateTimeField(_("Signiert am"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"
        verbose_name = _("Checkpoint")
        verbose_name_plural = _("Checkpoints")

    def __str__(self) -> str:
        return f"{self.size}"


class Cosignature(models.Model):
    """A witness's co-signature line (C2SP tlog-cosignature) on one of our checkpoints."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="cosignatures"
    )
    witness = models.CharField(_("Zeuge"), max_length=200)
    line = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness"], name="ledger_cosign_once")
        ]

    def __str__(self) -> str:
        return f"{self.witness} → {self.checkpoint}"


class WitnessedLog(models.Model):
    """Another log this installation witnesses: the newest checkpoint it checked and co-signed."""

    url = models.URLField(unique=True)
    origin = models.CharField(max_length=200)
    verifier_key = models.CharField(max_length=300)
    size = models.BigIntegerField(default=0)
    checkpoint = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.origin
