/* Board: three columns filled live from the /live socket (board role). */
(function () {
  "use strict";
  const config = window.Live && window.Live.readConfig();
  if (!config) return;
  const Live = window.Live;
  const statusBadge = document.getElementById("board-status");

  function listOf(kind) {
    return document.querySelector("#column-" + kind + " ul");
  }
  function recount(kind) {
    const count = document.getElementById("count-" + kind);
    const list = listOf(kind);
    if (count && list) count.textContent = String(list.children.length);
  }
  function addItem(item) {
    const list = listOf(item.kind);
    if (!list) return;
    Live.prependOnce(list, Live.renderContribution(config, item, false));
    recount(item.kind);
  }
  function showStatus(status) {
    if (!statusBadge) return;
    statusBadge.textContent = (config.strings.status || {})[status] || status;
    statusBadge.className = "badge " + status;
  }

  Live.connect(config, {
    workshop_state(state) {
      Object.keys(state.counts).forEach((kind) => {
        const list = listOf(kind);
        if (list) list.replaceChildren();
      });
      state.contributions.forEach(addItem);
      Object.keys(state.counts).forEach(recount);
      showStatus(state.workshop.status);
    },
    contribution_added: addItem,
    workshop_status(data) { showStatus(data.status); },
  });
})();
