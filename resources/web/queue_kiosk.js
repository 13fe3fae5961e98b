// The queue's kiosk (issue 16, desk_app/counter_web/queue_pages.py): the service groups as big
// buttons; a tap issues a ticket, shows it (and prints it on the receipt printer, or offers its
// PDF) and the page comes back by itself after a few seconds.
"use strict";
(function () {
  const RESET_S = 8; // the ticket stays on screen this long
  const RESET_PDF_S = 25; // longer when the applicant must print it from the PDF
  const LOCK_MS = 1200; // taps on the ticket's card are ignored this long (a double tap)
  const REFRESH_MS = 30000; // the people waiting on the buttons
  const params = new URLSearchParams(window.location.search);
  const scope = { nhom: params.get("nhom") || "", "don-vi": params.get("don-vi") || "" };
  const $ = (id) => document.getElementById(id);
  let busy = false; // a tap is being answered or its ticket shown: no other tap counts
  let shownAt = 0;
  let countdown = null;

  function tapToken() {
    const bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes); // randomUUID needs https; this works on the LAN
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  let offset = 0; // the server's clock less this browser's (the server's time is shown)

  function clock() {
    const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000 + offset);
    const two = (n) => String(n).padStart(2, "0");
    $("clock").textContent = `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}`;
  }

  function setButtons(enabled) {
    for (const button of $("groups").querySelectorAll("button")) button.disabled = !enabled;
  }

  function render(data) {
    $("agency").textContent = data.title || "";
    offset = data.clock - (Date.now() - new Date().getTimezoneOffset() * 60000);
    clock();
    const box = $("groups");
    box.classList.toggle("many", data.groups.length > 7);
    const buttons = data.groups.map((g) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "k-group";
      button.dataset.group = String(g.id);
      const letter = document.createElement("span");
      letter.className = "k-letter";
      letter.textContent = g.prefix;
      const text = document.createElement("span");
      const name = document.createElement("span");
      name.className = "k-name";
      name.textContent = g.name;
      const wait = document.createElement("span");
      wait.className = "k-wait";
      wait.textContent = g.waiting ? `${g.waiting} người đang chờ` : "Không có người chờ";
      text.append(name, wait);
      button.append(letter, text);
      button.disabled = busy;
      return button;
    });
    box.replaceChildren(...buttons);
    $("foot").textContent = data.groups.length
      ? "Phiếu in ra ở khe bên dưới. Xin cảm ơn quý khách."
      : "Chưa có lĩnh vực nào nhận số ở máy này.";
    if (!data.printer) $("foot").textContent = "Quý khách ghi nhớ số hoặc bấm «In phiếu» sau khi lấy số.";
  }

  async function load() {
    try {
      const answer = await fetch(`/lay-so/api/nhom?${new URLSearchParams(scope)}`, {
        cache: "no-store",
      });
      if (answer.ok) render(await answer.json());
    } catch (err) {
      $("foot").textContent = "Mất kết nối với máy chủ, đang thử lại…";
    }
  }

  function show(ticket, error) {
    busy = true;
    shownAt = Date.now();
    $("overlay").hidden = false;
    const pdf = $("pdf");
    pdf.hidden = true;
    const status = $("status");
    status.className = "k-status";
    if (error) {
      $("number").textContent = "—";
      $("group").textContent = "";
      $("when").textContent = "";
      $("waiting").textContent = "";
      status.textContent = error;
      status.classList.add("bad");
    } else {
      $("number").textContent = ticket.label;
      $("group").textContent = ticket.group;
      $("when").textContent = `Lấy số lúc ${ticket.time} ngày ${ticket.date}`;
      $("waiting").textContent = ticket.waiting
        ? `Có ${ticket.waiting} người đang chờ trước quý khách`
        : "Quý khách sẽ được gọi ngay";
      if (ticket.printed) {
        status.textContent = "Mời quý khách nhận phiếu ở khe bên dưới.";
        status.classList.add("ok");
      } else {
        status.textContent = ticket.trouble || "Quý khách ghi nhớ số hoặc bấm «In phiếu».";
        if (ticket.trouble) status.classList.add("bad");
        pdf.href = ticket.pdf;
        pdf.hidden = false;
      }
    }
    let left = ticket && !ticket.printed ? RESET_PDF_S : RESET_S;
    const tick = () => {
      $("count").textContent = `Màn hình tự trở lại sau ${left} giây`;
      if (left-- <= 0) reset();
    };
    clearInterval(countdown);
    countdown = setInterval(tick, 1000);
    tick();
  }

  function reset() {
    clearInterval(countdown);
    countdown = null;
    $("overlay").hidden = true;
    busy = false;
    setButtons(true);
    load();
  }

  async function issue(groupId) {
    if (busy) return; // a second tap before the first is answered
    busy = true;
    setButtons(false);
    const token = tapToken();
    const body = JSON.stringify({ group: groupId, tap: token, nhom: scope.nhom, don_vi: scope["don-vi"] });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const answer = await fetch("/lay-so/api/ve", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
        });
        const data = await answer.json();
        if (answer.ok) return show(data, "");
        return show(null, data.detail || "Không lấy được số, mời quý khách chạm lại.");
      } catch (err) {
        // The network hiccupped: the same token again gets the same ticket, never a second.
      }
    }
    show(null, "Mất kết nối với máy chủ, mời quý khách chạm lại sau giây lát.");
  }

  $("groups").addEventListener("click", (event) => {
    const button = event.target.closest("button.k-group");
    if (button && !button.disabled) issue(Number(button.dataset.group));
  });
  $("overlay").addEventListener("click", (event) => {
    if (Date.now() - shownAt < LOCK_MS) return; // the second half of a double tap
    if (event.target.closest("#pdf")) return; // the PDF opens; the countdown goes on
    reset();
  });
  clock();
  setInterval(clock, 5000);
  load();
  setInterval(() => {
    if (!busy) load();
  }, REFRESH_MS);
})();
