// The hall's display (issue 16, desk_app/counter_web/queue_pages.py): per counter the number it
// serves, the last numbers called, the people waiting per group. It asks every second; a new
// call or a recall chimes (Web Audio, no sound file) and shows "Mời số … đến …" in the banner.
//
// Browsers play sound only after a touch or key on the page: a display left alone is started
// in kiosk mode with `chromium --kiosk --autoplay-policy=no-user-gesture-required URL`;
// otherwise the footer asks for one touch.
"use strict";
(function () {
  const POLL_MS = 1000;
  const FLASH_MS = 8000;
  const params = new URLSearchParams(window.location.search);
  const scope = new URLSearchParams();
  for (const key of ["nhom", "don-vi"]) if (params.get(key)) scope.set(key, params.get(key));
  const $ = (id) => document.getElementById(id);
  const heard = new Map(); // ticket id → recalls already announced
  let first = true;
  let audio = null;
  let flashTimer = null;
  let chimes = 0;

  function context() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    if (!audio) audio = new Context();
    return audio;
  }

  function soundNote() {
    const ctx = context();
    $("sound").hidden = !ctx || ctx.state === "running";
  }

  function chime() {
    // Two soft bell tones, high then low ("ding-dong"), each a sine with a quick decay.
    const ctx = context();
    chimes += 1;
    document.body.dataset.chimes = String(chimes);
    if (!ctx) return;
    if (ctx.state !== "running") ctx.resume().catch(() => {});
    const start = ctx.currentTime + 0.05;
    [
      [659.25, 0],
      [523.25, 0.45],
    ].forEach(([hz, at]) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, start + at);
      gain.gain.exponentialRampToValueAtTime(0.6, start + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 1.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + at);
      osc.stop(start + at + 1.4);
    });
  }

  function cell(text, klass) {
    const td = document.createElement("td");
    td.textContent = text;
    if (klass) td.className = klass;
    return td;
  }

  function announce(call) {
    const banner = $("banner");
    const counter = call.counter || "quầy";
    banner.replaceChildren("Mời số ", bold(call.label), " đến ", bold(counter));
    banner.classList.remove("flash");
    void banner.offsetWidth; // restart the animation
    banner.classList.add("flash");
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => banner.classList.remove("flash"), FLASH_MS);
  }

  function bold(text) {
    const b = document.createElement("b");
    b.textContent = text;
    return b;
  }

  function render(state) {
    $("agency").textContent = state.title || "";
    $("clock").textContent = state.now;
    // New calls (not heard before) and recalls (more than heard), oldest first.
    const fresh = [];
    for (const call of [...state.calls].reverse()) {
      const before = heard.get(call.id);
      if (before === undefined || call.recalls > before) fresh.push(call);
      heard.set(call.id, call.recalls);
    }
    if (first) {
      if (state.calls.length) {
        const last = state.calls[0];
        $("banner").replaceChildren("Mời số ", bold(last.label), " đến ", bold(last.counter));
      }
    } else if (fresh.length) {
      announce(fresh[fresh.length - 1]);
      chime();
    }
    first = false;
    const newest = fresh.length ? fresh[fresh.length - 1].label : "";

    const counters = state.counters.map((c) => {
      const card = document.createElement("div");
      card.className = "h-counter" + (c.label ? "" : " idle") + (c.label && c.label === newest ? " new" : "");
      const name = document.createElement("div");
      name.className = "c-name";
      name.textContent = c.counter;
      const label = document.createElement("div");
      label.className = "c-label";
      label.textContent = c.label || "—";
      card.append(name, label);
      return card;
    });
    if (!counters.length) {
      const empty = document.createElement("p");
      empty.className = "h-empty";
      empty.textContent = "Chưa quầy nào gọi số hôm nay.";
      counters.push(empty);
    }
    const box = $("counters");
    const cols = counters.length <= 4 ? 2 : counters.length <= 9 ? 3 : counters.length <= 16 ? 4 : 5;
    box.style.setProperty("--cols", String(cols));
    box.style.setProperty("--rows", String(Math.max(2, Math.ceil(counters.length / cols))));
    box.replaceChildren(...counters);

    $("calls").replaceChildren(
      ...state.calls.map((c) => {
        const tr = document.createElement("tr");
        tr.append(cell(c.label, "n"), cell(c.counter), cell(c.at, "r"));
        return tr;
      })
    );
    $("groups").replaceChildren(
      ...state.groups.map((g) => {
        const chip = document.createElement("div");
        chip.className = "w-chip";
        chip.title = g.name;
        const name = document.createElement("span");
        name.className = "w-name";
        name.textContent = g.name;
        const count = document.createElement("span");
        count.className = "w-count";
        count.textContent = String(g.waiting);
        chip.append(bold(g.prefix), name, count);
        return chip;
      })
    );
    // As many of the last calls as the panel holds, whole rows only.
    const calls = $("calls");
    const bottom = calls.parentElement.getBoundingClientRect().bottom;
    while (calls.lastElementChild && calls.lastElementChild.getBoundingClientRect().bottom > bottom) {
      calls.lastElementChild.remove();
    }
    $("note").textContent = "Vui lòng chú ý số thứ tự và quầy được mời.";
  }

  async function poll() {
    try {
      const answer = await fetch(`/man-hinh-cho/api/trang-thai?${scope}`, { cache: "no-store" });
      if (answer.ok) render(await answer.json());
      else $("note").textContent = "Máy chủ chưa trả lời, đang thử lại…";
    } catch (err) {
      $("note").textContent = "Mất kết nối với máy chủ, đang thử lại…";
    }
    setTimeout(poll, POLL_MS);
  }

  // One touch or key unlocks the sound where the browser was not started to allow it.
  for (const kind of ["pointerdown", "keydown"]) {
    document.addEventListener(kind, () => {
      const ctx = context();
      if (ctx) ctx.resume().then(soundNote, () => {});
    });
  }
  soundNote();
  setTimeout(soundNote, 1500); // a context allowed to play turns "running" by itself
  poll();
})();
