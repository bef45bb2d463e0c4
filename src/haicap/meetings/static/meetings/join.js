// A connection point's join page: joins the meeting's Janus VideoRoom (or its connection-test
// room) with the point's token, publishes camera and microphone, watches the host point,
// shares the screen on request, and measures the link with getStats() every second. In a
// connection test it measures for a few seconds and posts the result to haicap.
// window.haicapJoin keeps what happened, for tests and for a person with the console open.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("janus-config").textContent);
  var words = JSON.parse(document.getElementById("join-words").textContent);
  var statusText = document.getElementById("join-status");
  var preview = document.getElementById("join-preview");
  var remote = document.getElementById("join-remote");
  var resultText = document.getElementById("join-result");
  var screenButton = document.getElementById("join-screen");
  var state = (window.haicapJoin = {
    status: "starting",
    participant: null,
    error: null,
    connected: false,
    stats: null,
    samples: [],
    result: null,
    watching: null,
  });
  var janus = null;
  var handle = null;
  var viewer = null;
  var previous = {};
  var timer = null;
  var cameraTrack = null;
  var screenTrack = null;

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

  // Watch the host point (a commune sees the province's hall); the host watches nobody.
  function watch(publishers) {
    if (viewer || config.test || !publishers) {
      return;
    }
    var host = publishers.filter(function (p) {
      return p.display === config.host && String(p.id) !== state.participant;
    })[0];
    if (!host) {
      return;
    }
    janus.attach({
      plugin: "janus.plugin.videoroom",
      success: function (pluginHandle) {
        viewer = pluginHandle;
        viewer.send({
          message: {
            request: "join",
            ptype: "subscriber",
            room: config.room,
            token: config.token,
            streams: [{ feed: host.id }],
          },
        });
      },
      onmessage: function (message, jsep) {
        if (jsep) {
          viewer.createAnswer({
            jsep: jsep,
            tracks: [{ type: "data" }],
            success: function (answer) {
              viewer.send({ message: { request: "start", room: config.room }, jsep: answer });
            },
          });
        }
      },
      onremotetrack: function (track, mid, on) {
        if (on && track.kind === "video") {
          remote.srcObject = new MediaStream([track]);
          state.watching = config.host;
        }
      },
    });
  }

  function onMessage(message, jsep) {
    if (message.videoroom === "joined") {
      state.participant = String(message.id);
      show("publishing");
      publish();
      watch(message.publishers);
    } else if (message.videoroom === "event" && message.publishers) {
      watch(message.publishers);
    } else if (message.error) {
      // 433: the token is not in the room's allowed list; 426: no such room.
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
        if (added && track.kind === "video" && !screenTrack) {
          cameraTrack = track;
          preview.srcObject = new MediaStream([track]);
        }
      },
      webrtcState: function (up) {
        state.connected = up;
        if (up) {
          show(config.test ? "measuring" : "connected");
          timer = window.setInterval(measure, 1000);
          if (screenButton) {
            screenButton.disabled = false;
          }
        }
      },
    });
  }

  // Round-trip time from the receiver's reports (or the ICE pair), bitrate from the bytes
  // sent since the last sample, packets lost as the receiver reports them.
  function summarise(report) {
    var stats = { rtt_ms: null, bitrate_kbps: 0, packets_sent: 0, packets_lost: 0, audio_bytes: 0, video_bytes: 0 };
    var pairRtt = null;
    report.forEach(function (entry) {
      if (entry.type === "outbound-rtp") {
        var last = previous[entry.id];
        if (last && entry.timestamp > last.at) {
          stats.bitrate_kbps += ((entry.bytesSent - last.bytes) * 8) / (entry.timestamp - last.at);
        }
        previous[entry.id] = { bytes: entry.bytesSent, at: entry.timestamp };
        stats.packets_sent += entry.packetsSent;
        stats[entry.kind + "_bytes"] += entry.bytesSent;
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

  function median(values) {
    var sorted = values.filter(function (v) { return typeof v === "number"; }).sort(function (a, b) { return a - b; });
    return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
  }

  function csrf() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function report() {
    var samples = state.samples.slice(1); // the first sample has no bitrate yet
    var last = state.samples[state.samples.length - 1];
    var result = {
      token: config.token,
      rtt_ms: median(samples.map(function (s) { return s.rtt_ms; })),
      bitrate_kbps: median(samples.map(function (s) { return s.bitrate_kbps; })) || 0,
      loss_percent: last ? last.loss_percent : 0,
      camera: Boolean(last && last.video_bytes > 0 && cameraTrack && cameraTrack.readyState === "live"),
      microphone: Boolean(last && last.audio_bytes > 0),
    };
    fetch(config.result_url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      credentials: "same-origin",
      body: JSON.stringify(result),
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        state.result = answer;
        show("saved");
        resultText.textContent = answer.error ? answer.error.message : words[answer.ready ? "ready" : "not_ready"];
        resultText.dataset.readiness = answer.readiness || "error";
      })
      .catch(function (error) { fail("failed", error); });
  }

  function measure() {
    var pc = handle && handle.webrtcStuff && handle.webrtcStuff.pc;
    if (!pc) {
      return;
    }
    pc.getStats().then(function (found) {
      var stats = summarise(found);
      state.stats = stats;
      state.samples.push(stats);
      document.getElementById("stat-rtt").textContent =
        stats.rtt_ms === null ? "–" : stats.rtt_ms.toFixed(0) + " ms";
      document.getElementById("stat-bitrate").textContent = stats.bitrate_kbps.toFixed(0) + " kbit/s";
      document.getElementById("stat-loss").textContent =
        stats.packets_lost + " (" + stats.loss_percent.toFixed(1) + " %)";
      if (config.test && state.samples.length === config.seconds) {
        report();
      }
    });
  }

  function videoSender() {
    var pc = handle && handle.webrtcStuff && handle.webrtcStuff.pc;
    return pc ? pc.getSenders().filter(function (s) { return s.track && s.track.kind === "video"; })[0] : null;
  }

  function backToCamera() {
    var sender = videoSender();
    if (screenTrack) {
      screenTrack.stop();
      screenTrack = null;
    }
    if (sender && cameraTrack) {
      sender.replaceTrack(cameraTrack);
      preview.srcObject = new MediaStream([cameraTrack]);
    }
    screenButton.setAttribute("aria-pressed", "false");
    show("connected");
  }

  if (screenButton) {
    screenButton.addEventListener("click", function () {
      if (screenTrack) {
        backToCamera();
        return;
      }
      navigator.mediaDevices.getDisplayMedia({ video: true }).then(function (stream) {
        screenTrack = stream.getVideoTracks()[0];
        screenTrack.addEventListener("ended", backToCamera);
        var sender = videoSender();
        if (sender) {
          sender.replaceTrack(screenTrack);
        }
        preview.srcObject = stream;
        screenButton.setAttribute("aria-pressed", "true");
        show("screen");
      }).catch(function (error) { fail("failed", error); });
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

  if (config.room === null) {
    show("closed");
    return;
  }
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
