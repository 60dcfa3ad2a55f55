// 唱票计票: one key per candidate, Enter records the ballot. Ballots wait in a queue and are sent in the
// background, several at once when they pile up, each with its own key: a ballot sent again after a lost
// answer is recorded once, and a failed send is retried until the server has it.
(function () {
  "use strict";
  const form = document.getElementById("ballot-form");
  if (!form) return;
  const recent = document.getElementById("recent");
  const pending = document.getElementById("pending");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const queue = [];
  let sending = false;
  let serial = 0;
  const session = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  function showPending() {
    pending.textContent = queue.length ? `待保存 ${queue.length} 张……` : "";
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

  function send() {
    if (sending || !queue.length) return;
    sending = true;
    const batch = queue.slice(0, 100);
    fetch(form.action, {
      method: "POST",
      body: JSON.stringify({ ballots: batch }),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then((html) => {
        queue.splice(0, batch.length);
        recent.innerHTML = html;
        sending = false;
        showPending();
        send();
      })
      .catch(() => {
        sending = false;
        showPending();
        setTimeout(send, 1000);
      });
  }

  function record() {
    const fields = {};
    new FormData(form).forEach((value, name) => {
      if (name !== "csrfmiddlewaretoken") (fields[name] = fields[name] || []).push(value);
    });
    serial += 1;
    queue.push({ key: `${session}-${serial}`, fields });
    form.reset();
    refreshStates();
    showPending();
    send();
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); record(); });
  form.addEventListener("reset", () => setTimeout(refreshStates));
  form.addEventListener("change", refreshStates);
  form.addEventListener("input", refreshStates);
  window.addEventListener("beforeunload", (event) => { if (queue.length) event.preventDefault(); });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const typing = event.target.matches("input[type=text], input:not([type]), textarea");
    if (event.key === "Enter") { event.preventDefault(); record(); return; }
    if (event.key === "Escape") { event.preventDefault(); form.reset(); if (event.target.blur) event.target.blur(); return; }
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
