// 唱票计票: one key per candidate, Enter records the ballot. Ballots are sent one after another in the
// background, so the counter types the next ballot while the last one is being saved.
(function () {
  "use strict";
  const form = document.getElementById("ballot-form");
  if (!form) return;
  const recent = document.getElementById("recent");
  const pending = document.getElementById("pending");
  let queue = Promise.resolve();
  let waiting = 0;

  function showPending() {
    pending.textContent = waiting ? `正在保存 ${waiting} 张……` : "";
  }

  function refreshStates() {
    form.querySelectorAll(".ballot-post").forEach((fieldset) => {
      const seats = Number(fieldset.dataset.seats);
      const names = [...fieldset.querySelectorAll("input[type=checkbox][data-name]:checked")].map((i) => i.dataset.name);
      const written = fieldset.querySelector(".write-in");
      if (written && written.value.trim()) names.push(...written.value.split(/[,，、;；]+/).map((n) => n.trim()).filter(Boolean));
      const illegible = fieldset.querySelector("input[name^='x.']").checked;
      const badge = fieldset.querySelector(".post-state");
      let text = names.length ? names.join("、") : "弃权";
      let style = names.length ? "text-bg-primary" : "text-bg-secondary";
      if (names.length > seats) { text = `多选${names.length}人（应选${seats}名）：本栏无效`; style = "text-bg-danger"; }
      if (illegible) { text = "本栏作废"; style = "text-bg-danger"; }
      badge.textContent = text;
      badge.className = `post-state badge ${style}`;
    });
  }

  function record() {
    const body = new FormData(form);
    form.reset();
    refreshStates();
    waiting += 1;
    showPending();
    queue = queue.then(() =>
      fetch(form.action, { method: "POST", body, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
        .then((response) => response.text())
        .then((html) => { recent.innerHTML = html; })
        .catch(() => { recent.insertAdjacentHTML("afterbegin", '<div class="alert alert-danger">网络错误：最近一张选票可能未保存，请核对已录入张数。</div>'); })
        .finally(() => { waiting -= 1; showPending(); })
    );
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); record(); });
  form.addEventListener("reset", () => setTimeout(refreshStates));
  form.addEventListener("change", refreshStates);
  form.addEventListener("input", refreshStates);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const typing = event.target.matches("input[type=text], input:not([type]), textarea");
    if (event.key === "Enter") { event.preventDefault(); record(); return; }
    if (event.key === "Escape") { event.preventDefault(); form.reset(); event.target.blur && event.target.blur(); return; }
    if (typing) return;
    if (event.key === "=") {
      event.preventDefault();
      const first = form.querySelector(".write-in");
      if (first) first.focus();
      return;
    }
    const input = form.querySelector(`input[data-key="${CSS.escape(event.key.toLowerCase())}"]`);
    if (input) {
      event.preventDefault();
      input.checked = !input.checked;
      refreshStates();
    }
  });
  refreshStates();
})();
