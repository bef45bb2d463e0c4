// Joins a Janus VideoRoom as a publisher with a join token, sends the camera and microphone,
// and measures the link with getStats() every second. window.haicapJoin keeps what happened
// so that a test (or a person with the console open) can read it.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("janus-config").textContent);
  var words = JSON.parse(document.getElementById("join-words").textContent);
  var statusText = document.getElementById("join-status");
  var preview = document.getElementById("join-preview");
  var state = (window.haicapJoin = {
    status: "starting",
    participant: null,
    error: null,
    connected: false,
    stats: null,
    samples: 0,
  });
  var janus = null;
  var handle = null;
  var previous = {};
  var timer = null;

  function show(status, detail) {
    state.status = status;
    statusText.dataset.state = status;
    statusText.textContent = words[status] + (detail ? ": " + detail : "");
  }

  function fail(status, error) {
    state.error = String((error && error.message) || error);
    show(status, state.error);
  }

  function publish() {
    handle.createOffer({
      tracks: [
        { type: "audio", capture: true, recv: false },
        { type: "video", capture: true, recv: false },
      ],
      success: function (jsep) {
        handle.send({ message: { request: "publish" }, jsep: jsep });
      },
      error: function (error) {
        fail("failed", error);
      },
    });
  }

  function onMessage(message, jsep) {
    if (message.videoroom === "joined") {
      state.participant = String(message.id);
      show("publishing");
      publish();
    } else if (message.error) {
      // 433: the token is not in the room's allowed list.
      fail(message.error_code === 433 ? "refused" : "failed", message.error);
    }
    if (jsep) {
      handle.handleRemoteJsep({ jsep: jsep });
    }
  }

  function attach() {
    janus.attach({
      plugin: "janus.plugin.videoroom",
      success: function (pluginHandle) {
        handle = pluginHandle;
        show("joining");
        handle.send({
          message: {
            request: "join",
            ptype: "publisher",
            room: config.room,
            display: config.display,
            token: config.token,
          },
        });
      },
      error: function (error) {
        fail("failed", error);
      },
      onmessage: onMessage,
      onlocaltrack: function (track, added) {
        if (added && track.kind === "video") {
          preview.srcObject = new MediaStream([track]);
        }
      },
      webrtcState: function (up) {
        state.connected = up;
        if (up) {
          show("connected");
          timer = window.setInterval(measure, 1000);
        }
      },
    });
  }

  // Round-trip time from the receiver's reports (or the ICE pair), bitrate from the bytes
  // sent since the last sample, packets lost as the receiver reports them.
  function summarise(report) {
    var stats = { rtt_ms: null, bitrate_kbps: 0, packets_sent: 0, packets_lost: 0 };
    var pairRtt = null;
    report.forEach(function (entry) {
      if (entry.type === "outbound-rtp") {
        var last = previous[entry.id];
        if (last) {
          stats.bitrate_kbps += ((entry.bytesSent - last.bytes) * 8) / (entry.timestamp - last.at);
        }
        previous[entry.id] = { bytes: entry.bytesSent, at: entry.timestamp };
        stats.packets_sent += entry.packetsSent;
      } else if (entry.type === "remote-inbound-rtp") {
        stats.packets_lost += Math.max(0, entry.packetsLost || 0);
        if (typeof entry.roundTripTime === "number") {
          stats.rtt_ms = Math.max(stats.rtt_ms || 0, entry.roundTripTime * 1000);
        }
      } else if (entry.type === "candidate-pair" && entry.nominated && entry.state === "succeeded") {
        if (typeof entry.currentRoundTripTime === "number") {
          pairRtt = entry.currentRoundTripTime * 1000;
        }
      }
    });
    if (stats.rtt_ms === null) {
      stats.rtt_ms = pairRtt;
    }
    var total = stats.packets_sent + stats.packets_lost;
    stats.loss_percent = total ? (100 * stats.packets_lost) / total : 0;
    return stats;
  }

  function measure() {
    var pc = handle && handle.webrtcStuff && handle.webrtcStuff.pc;
    if (!pc) {
      return;
    }
    pc.getStats().then(function (report) {
      var stats = summarise(report);
      state.stats = stats;
      state.samples += 1;
      document.getElementById("stat-rtt").textContent =
        stats.rtt_ms === null ? "–" : stats.rtt_ms.toFixed(0) + " ms";
      document.getElementById("stat-bitrate").textContent = stats.bitrate_kbps.toFixed(0) + " kbit/s";
      document.getElementById("stat-loss").textContent =
        stats.packets_lost + " (" + stats.loss_percent.toFixed(1) + " %)";
    });
  }

  window.haicapLeave = function () {
    if (timer) {
      window.clearInterval(timer);
    }
    show("leaving");
    var done = function () {
      janus.destroy({ cleanupHandles: true });
    };
    if (handle) {
      handle.send({ message: { request: "leave" }, success: done, error: done });
    } else if (janus) {
      done();
    }
  };
  document.getElementById("join-leave").addEventListener("click", window.haicapLeave);

  Janus.init({
    debug: false,
    callback: function () {
      if (!Janus.isWebrtcSupported()) {
        fail("failed", "WebRTC");
        return;
      }
      janus = new Janus({
        server: config.server,
        apisecret: config.apisecret || undefined,
        success: attach,
        error: function (error) {
          fail("failed", error);
        },
        destroyed: function () {
          state.connected = false;
          show("left");
        },
      });
    },
  });
})();
