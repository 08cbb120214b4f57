from django.db import models


class WarningStatus(models.TextChoices):
    OPEN = "open", "Menunggu klarifikasi"
    CLARIFIED = "clarified", "Klarifikasi diajukan"
    CLOSED = "closed", "Ditutup: klarifikasi diterima"
    STANDS = "stands", "Berlaku: klarifikasi ditolak"
    REPRIMANDED = "reprimanded", "Teguran ke atasan, unit diminta membina"
    RECOMMENDED = "recommended", "Rekomendasi sanksi atasan (Pasal 28)"


class ClarificationDecision(models.TextChoices):
    PENDING = "pending", "Menunggu keputusan atasan"
    ACCEPTED = "accepted", "Diterima"
    REJECTED = "rejected", "Ditolak"


class CaseKind(models.TextChoices):
    TALLY = "tally", "Akumulasi TK tahunan"
    CONSECUTIVE = "consecutive", "TK berturut-turut (berat)"
    PASAL_28 = "pasal_28", "Atasan tidak menindaklanjuti (Pasal 28)"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Dalam proses"
    DECIDED = "decided", "Diputuskan"


class StepKind(models.TextChoices):
    SUMMONS_1 = "summons_1", "Panggilan I"
    SUMMONS_2 = "summons_2", "Panggilan II"
    EXAMINATION = "examination", "Pemeriksaan (BAP)"
    DECISION = "decision", "Keputusan (SK hukdis)"


class Sanction(models.TextChoices):
    TEGURAN_LISAN = "teguran_lisan", "Teguran lisan"
    TEGURAN_TERTULIS = "teguran_tertulis", "Teguran tertulis"
    PERNYATAAN_TIDAK_PUAS = "pernyataan_tidak_puas", "Pernyataan tidak puas secara tertulis"
    POTONGAN_TPP_6_BULAN = "potongan_tpp_6_bulan", "Pemotongan TPP 25% selama 6 bulan"
    POTONGAN_TPP_9_BULAN = "potongan_tpp_9_bulan", "Pemotongan TPP 25% selama 9 bulan"
    POTONGAN_TPP_12_BULAN = "potongan_tpp_12_bulan", "Pemotongan TPP 25% selama 12 bulan"
    PENURUNAN_JABATAN = "penurunan_jabatan", "Penurunan jabatan setingkat lebih rendah 12 bulan"
    PEMBEBASAN_JABATAN = "pembebasan_jabatan", "Pembebasan dari jabatan menjadi pelaksana 12 bulan"
    PEMBERHENTIAN = "pemberhentian", "Pemberhentian tidak atas permintaan sendiri"
