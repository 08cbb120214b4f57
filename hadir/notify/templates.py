"""Message templates, in Indonesian. `params` orders the values for WhatsApp template messages
(registered with Meta under the same name, language `id`, body parameters {{1}}, {{2}}, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hadir.notify.choices import Channel

W, S, E, P = Channel.WHATSAPP, Channel.SMS, Channel.EMAIL, Channel.WEBPUSH


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    code: str
    subject: str
    body: str
    params: tuple[str, ...]
    channels: tuple[Channel, ...]

    def render(self, context: Mapping[str, object]) -> tuple[str, str, list[str]]:
        values = {k: str(v) for k, v in context.items()}
        missing = [p for p in self.params if p not in values]
        if missing:
            raise KeyError(f"template {self.code}: missing {', '.join(missing)}")
        return (
            self.subject.format(**values),
            self.body.format(**values),
            [values[p] for p in self.params],
        )


_ALL = [
    MessageTemplate(
        "hadir_peringatan_tk",
        "Peringatan ketidakhadiran",
        "Yth. {name}, Anda tercatat tidak hadir tanpa keterangan {days} hari kerja "
        "berturut-turut ({start} s.d. {end}). Mohon sampaikan klarifikasi beserta bukti "
        "pendukung melalui aplikasi atau web HADIR paling lambat {due}.",
        ("name", "days", "start", "end", "due"),
        (W, S),
    ),
    MessageTemplate(
        "hadir_teguran_atasan",
        "Teguran: bawahan belum memberi klarifikasi",
        "Yth. {name}, bawahan Anda {employee} (NIP {nip}) tidak hadir tanpa keterangan "
        "{start} s.d. {end} dan belum menyampaikan klarifikasi hingga {due}. Sesuai PP 94/2021, "
        "Anda wajib memanggil dan memeriksa yang bersangkutan.",
        ("name", "employee", "nip", "start", "end", "due"),
        (W, E),
    ),
    MessageTemplate(
        "hadir_pembinaan_unit",
        "Permintaan pembinaan pegawai",
        "Yth. {name}, mohon unit {unit} melakukan pembinaan terhadap {employee} (NIP {nip}) "
        "yang tidak hadir tanpa keterangan {start} s.d. {end}, dan mencatat tindak lanjutnya "
        "di HADIR paling lambat {due}.",
        ("name", "unit", "employee", "nip", "start", "end", "due"),
        (W, E),
    ),
    MessageTemplate(
        "hadir_rekomendasi_pasal28",
        "Rekomendasi sanksi atasan (PP 94/2021 Pasal 28)",
        "Yth. {name}, tidak ada tindak lanjut atas ketidakhadiran {employee} (NIP {nip}) "
        "{start} s.d. {end} sejak teguran {reprimanded}. Sesuai PP 94/2021 Pasal 28, "
        "direkomendasikan sanksi disiplin bagi atasan {atasan}.",
        ("name", "employee", "nip", "start", "end", "reprimanded", "atasan"),
        (W, E),
    ),
    MessageTemplate(
        "hadir_kasus_disiplin",
        "Kasus disiplin PP 94/2021",
        "Yth. {name}, tercatat kasus disiplin atas {employee} (NIP {nip}): {reason}. "
        "Rekomendasi hukuman: {sanction}. Pemanggilan pertama paling lambat {due}.",
        ("name", "employee", "nip", "reason", "sanction", "due"),
        (W, E),
    ),
    MessageTemplate(
        "hadir_klarifikasi_masuk",
        "Klarifikasi menunggu keputusan",
        "Yth. {name}, {employee} telah menyampaikan klarifikasi atas ketidakhadiran "
        "{start} s.d. {end}. Mohon diperiksa dan diputuskan di HADIR.",
        ("name", "employee", "start", "end"),
        (W, E),
    ),
    MessageTemplate(
        "hadir_klarifikasi_keputusan",
        "Keputusan atas klarifikasi Anda",
        "Yth. {name}, klarifikasi Anda atas ketidakhadiran {start} s.d. {end} {decision}. {reason}",
        ("name", "start", "end", "decision", "reason"),
        (W, S),
    ),
]
_ALL.append(
    MessageTemplate(
        "hadir_pengingat_absen",
        "Pengingat absen {checkpoint}",
        "Jangan lupa absen {checkpoint} di HADIR: dibuka {opens} sampai {closes}{due}.",
        ("checkpoint", "opens", "closes", "due"),
        (P,),
    )
)
_ALL.append(
    MessageTemplate(
        "hadir_mesin_senyap",
        "Mesin sidik jari tidak mengirim data",
        "Yth. {name}, mesin sidik jari {machine} ({serial}) di {unit} tidak mengirim data "
        "sejak {since} ({hours} jam). Mohon periksa daya dan jaringan mesin; rekaman yang "
        "tersimpan di mesin akan terkirim setelah tersambung kembali.",
        ("name", "machine", "serial", "unit", "since", "hours"),
        (W, E),
    )
)
# Issue 5 (staff web): leave requests and decisions, the atasan's monthly verification.
_ALL += [
    MessageTemplate(
        "hadir_cuti_masuk",
        "Permohonan {type} menunggu keputusan",
        "Yth. {name}, {employee} mengajukan {type} {start} s.d. {end}. Mohon diputuskan di HADIR.",
        ("name", "employee", "type", "start", "end"),
        (W, E),
    ),
    MessageTemplate(
        "hadir_cuti_keputusan",
        "Permohonan {type} {decision}",
        "Yth. {name}, {type} Anda {start} s.d. {end} {decision}. {reason}",
        ("name", "type", "start", "end", "decision", "reason"),
        (W, S),
    ),
    MessageTemplate(
        "hadir_verifikasi_pengingat",
        "Pengingat verifikasi kehadiran {month}",
        "Yth. {name}, laporan verifikasi kehadiran {month} untuk {count} bawahan Anda belum "
        "dikirim. Batas waktu sebelum {due}.",
        ("name", "count", "month", "due"),
        (W, E),
    ),
]
TEMPLATES: dict[str, MessageTemplate] = {t.code: t for t in _ALL}
