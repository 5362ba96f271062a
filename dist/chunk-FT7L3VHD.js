import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-NV5WPINZ.js";

// node_modules/pidusage/lib/bin.js
var require_bin = __commonJS({
  "node_modules/pidusage/lib/bin.js"(exports, module) {
    "use strict";
    var spawn2 = __require("child_process").spawn;
    function run(cmd, args, options, done) {
      if (typeof options === "function") {
        done = options;
        options = void 0;
      }
      let executed = false;
      const ch = spawn2(cmd, args, options);
      let stdout = "";
      let stderr = "";
      ch.stdout.on("data", function(d) {
        stdout += d.toString();
      });
      ch.stderr.on("data", function(d) {
        stderr += d.toString();
      });
      ch.on("error", function(err) {
        if (executed) return;
        executed = true;
        done(new Error(err));
      });
      ch.on("close", function(code, signal) {
        if (executed) return;
        executed = true;
        if (stderr) {
          return done(new Error(stderr));
        }
        done(null, stdout, code);
      });
    }
    module.exports = run;
  }
});

// node_modules/pidusage/lib/history.js
var require_history = __commonJS({
  "node_modules/pidusage/lib/history.js"(exports, module) {
    "use strict";
    var DEFAULT_MAXAGE = 6e4;
    var expiration = {};
    var history = {};
    var expireListeners = {};
    var size = 0;
    var interval = null;
    function get(pid, maxage) {
      if (maxage <= 0) {
        return;
      }
      if (history[pid] !== void 0) {
        expiration[pid] = Date.now() + (maxage || DEFAULT_MAXAGE);
      }
      return history[pid];
    }
    function set(pid, object, maxage, onExpire) {
      if (object === void 0 || maxage <= 0) return;
      expiration[pid] = Date.now() + (maxage || DEFAULT_MAXAGE);
      if (history[pid] === void 0) {
        size++;
        sheduleInvalidator(maxage);
      }
      history[pid] = object;
      if (onExpire) {
        expireListeners[pid] = onExpire;
      }
    }
    function sheduleInvalidator(maxage) {
      if (size > 0) {
        if (interval === null) {
          interval = setInterval(runInvalidator, (maxage || DEFAULT_MAXAGE) / 2);
          if (typeof interval.unref === "function") {
            interval.unref();
          }
        }
        return;
      }
      if (interval !== null) {
        clearInterval(interval);
        interval = null;
      }
    }
    function runInvalidator() {
      const now = Date.now();
      const pids = Object.keys(expiration);
      for (let i = 0; i < pids.length; i++) {
        const pid = pids[i];
        if (expiration[pid] < now) {
          size--;
          if (expireListeners[pid]) {
            expireListeners[pid](history[pid]);
          }
          delete history[pid];
          delete expiration[pid];
          delete expireListeners[pid];
        }
      }
      sheduleInvalidator();
    }
    function deleteLoop(obj) {
      for (const i in obj) {
        delete obj[i];
      }
    }
    function clear() {
      if (interval !== null) {
        clearInterval(interval);
        interval = null;
      }
      deleteLoop(history);
      deleteLoop(expiration);
      deleteLoop(expireListeners);
    }
    module.exports = {
      get,
      set,
      clear
    };
  }
});

// node_modules/pidusage/lib/ps.js
var require_ps = __commonJS({
  "node_modules/pidusage/lib/ps.js"(exports, module) {
    "use strict";
    var os2 = __require("os");
    var bin = require_bin();
    var history = require_history();
    var PLATFORM = os2.platform();
    function parseTime(timestr, centisec) {
      let time = 0;
      const tpart = timestr.split(/-|:|\./);
      let i = tpart.length - 1;
      if (i >= 0 && centisec && PLATFORM === "darwin") {
        time += parseInt(tpart[i--], 10) * 10;
      }
      if (i >= 0) {
        time += parseInt(tpart[i--], 10) * 1e3;
      }
      if (i >= 0) {
        time += parseInt(tpart[i--], 10) * 6e4;
      }
      if (i >= 0) {
        time += parseInt(tpart[i--], 10) * 36e5;
      }
      if (i >= 0) {
        time += parseInt(tpart[i--], 10) * 864e5;
      }
      return time;
    }
    function ps(pids, options, done) {
      const pArg = pids.join(",");
      let args = ["-o", "etime,pid,ppid,pcpu,rss,time", "-p", pArg];
      if (PLATFORM === "aix" || PLATFORM === "os400") {
        args = ["-o", "etime,pid,ppid,pcpu,rssize,time", "-p", pArg];
      }
      bin("ps", args, function(err, stdout, code) {
        if (err) {
          if (PLATFORM === "os390" && /no matching processes found/.test(err)) {
            err = new Error("No matching pid found");
            err.code = "ENOENT";
          }
          return done(err);
        }
        if (code === 1) {
          const error = new Error("No matching pid found");
          error.code = "ENOENT";
          return done(error);
        }
        if (code !== 0) {
          return done(new Error("pidusage ps command exited with code " + code));
        }
        const date = Date.now();
        stdout = stdout.split(os2.EOL);
        const statistics = {};
        for (let i = 1; i < stdout.length; i++) {
          const line = stdout[i].trim().split(/\s+/);
          if (!line || line.length !== 6) {
            continue;
          }
          const pid = parseInt(line[1], 10);
          let hst = history.get(pid, options.maxage);
          if (hst === void 0) hst = {};
          const ppid = parseInt(line[2], 10);
          const memory = parseInt(line[4], 10) * 1024;
          const etime = parseTime(line[0]);
          const ctime = parseTime(line[5], true);
          const total = ctime - (hst.ctime || 0);
          const seconds2 = Math.abs(hst.elapsed !== void 0 ? etime - hst.elapsed : etime);
          const cpu = seconds2 > 0 ? total / seconds2 * 100 : 0;
          statistics[pid] = {
            cpu,
            memory,
            ppid,
            pid,
            ctime,
            elapsed: etime,
            timestamp: date
          };
          history.set(pid, statistics[pid], options.maxage);
        }
        done(null, statistics);
      });
    }
    module.exports = ps;
  }
});

// node_modules/pidusage/lib/helpers/parallel.js
var require_parallel = __commonJS({
  "node_modules/pidusage/lib/helpers/parallel.js"(exports, module) {
    function parallel(fns, options, done) {
      if (typeof options === "function") {
        done = options;
        options = {};
      }
      let keys;
      if (!Array.isArray(fns)) {
        keys = Object.keys(fns);
      }
      const length = keys ? keys.length : fns.length;
      let pending = length;
      const results = keys ? {} : [];
      function each(i, err, result) {
        results[i] = result;
        if (--pending === 0 || err && !options.graceful) {
          if (options.graceful && err && length > 1) {
            err = null;
          }
          done && done(err, results);
          done = null;
        }
      }
      if (keys) {
        keys.forEach(function(key) {
          fns[key](function(err, res) {
            each(key, err, res);
          });
        });
      } else {
        fns.forEach(function(fn, i) {
          fn(function(err, res) {
            each(i, err, res);
          });
        });
      }
    }
    module.exports = parallel;
  }
});

// node_modules/pidusage/lib/helpers/cpu.js
var require_cpu = __commonJS({
  "node_modules/pidusage/lib/helpers/cpu.js"(exports, module) {
    var os2 = __require("os");
    var fs = __require("fs");
    var exec = __require("child_process").exec;
    var parallel = require_parallel();
    function updateCpu(cpu, next) {
      if (cpu !== null) {
        getRealUptime(function(err, uptime) {
          if (err) return next(err);
          cpu.uptime = uptime;
          next(null, cpu);
        });
        return;
      }
      parallel([
        getClockAndPageSize,
        getRealUptime
      ], function(err, data) {
        if (err) return next(err);
        cpu = {
          clockTick: data[0].clockTick,
          pageSize: data[0].pageSize,
          uptime: data[1]
        };
        next(null, cpu);
      });
    }
    module.exports = updateCpu;
    function getRealUptime(next) {
      fs.readFile("/proc/uptime", "utf8", function(err, uptime) {
        if (err || uptime === void 0) {
          if (!process.env.PIDUSAGE_SILENT) {
            console.warn("[pidusage] We couldn't find uptime from /proc/uptime, using os.uptime() value");
          }
          return next(null, os2.uptime() || /* @__PURE__ */ new Date() / 1e3);
        }
        return next(null, parseFloat(uptime.split(" ")[0]));
      });
    }
    function getClockAndPageSize(next) {
      parallel([
        function getClockTick(cb) {
          getconf("CLK_TCK", { default: 100 }, cb);
        },
        function getPageSize(cb) {
          getconf("PAGESIZE", { default: 4096 }, cb);
        }
      ], function(err, data) {
        if (err) return next(err);
        next(null, { clockTick: data[0], pageSize: data[1] });
      });
    }
    function getconf(keyword, options, next) {
      if (typeof options === "function") {
        next = options;
        options = { default: "" };
      }
      exec("getconf " + keyword, function(error, stdout, stderr) {
        if (error !== null) {
          if (!process.env.PIDUSAGE_SILENT) {
            console.error('Error while calling "getconf ' + keyword + '"', error);
          }
          return next(null, options.default);
        }
        stdout = parseInt(stdout);
        if (!isNaN(stdout)) {
          return next(null, stdout);
        }
        return next(null, options.default);
      });
    }
  }
});

// node_modules/pidusage/lib/procfile.js
var require_procfile = __commonJS({
  "node_modules/pidusage/lib/procfile.js"(exports, module) {
    var fs = __require("fs");
    var path9 = __require("path");
    var updateCpu = require_cpu();
    var parallel = require_parallel();
    var history = require_history();
    var cpuInfo = null;
    var SIZE = 1024;
    function noop() {
    }
    function open3(path10, history2, cb) {
      if (history2.fd) {
        return cb(null, history2.fd);
      }
      fs.open(path10, "r", cb);
    }
    function close(history2) {
      if (history2.fd) {
        fs.close(history2.fd, noop);
      }
    }
    function readUntilEnd(fd, buf, cb) {
      let firstRead = false;
      if (typeof buf === "function") {
        cb = buf;
        buf = Buffer.alloc(SIZE);
        firstRead = true;
      }
      fs.read(fd, buf, 0, SIZE, 0, function(err, bytesRead, buffer) {
        if (err) {
          cb(err);
          return;
        }
        const data = Buffer.concat([buf, buffer], firstRead ? bytesRead : buf.length + bytesRead);
        if (bytesRead === SIZE) {
          readUntilEnd(fd, data, cb);
          return;
        }
        cb(null, buf);
      });
    }
    function readProcFile(pid, options, done) {
      let hst = history.get(pid, options.maxage);
      let again = false;
      if (hst === void 0) {
        again = true;
        hst = {};
      }
      open3(path9.join("/proc", "" + pid, "stat"), hst, function(err, fd) {
        if (err) {
          if (err.code === "ENOENT") {
            err.message = "No matching pid found";
          }
          return done(err, null);
        }
        if (err) {
          return done(err);
        }
        readUntilEnd(fd, function(err2, buffer) {
          if (err2) {
            return done(err2);
          }
          let infos = buffer.toString("utf8");
          const date = Date.now();
          const index = infos.lastIndexOf(")");
          infos = infos.substr(index + 2).split(" ");
          const stat = {
            ppid: parseInt(infos[1]),
            utime: parseFloat(infos[11]) * 1e3 / cpuInfo.clockTick,
            stime: parseFloat(infos[12]) * 1e3 / cpuInfo.clockTick,
            cutime: parseFloat(infos[13]) * 1e3 / cpuInfo.clockTick,
            cstime: parseFloat(infos[14]) * 1e3 / cpuInfo.clockTick,
            start: parseFloat(infos[19]) * 1e3 / cpuInfo.clockTick,
            rss: parseFloat(infos[21]),
            uptime: cpuInfo.uptime * 1e3,
            fd
          };
          const memory = stat.rss * cpuInfo.pageSize;
          const childrens = options.childrens ? stat.cutime + stat.cstime : 0;
          const total = stat.stime - (hst.stime || 0) + stat.utime - (hst.utime || 0) + childrens;
          const seconds2 = Math.abs(hst.uptime !== void 0 ? stat.uptime - hst.uptime : stat.start - stat.uptime);
          const cpu = seconds2 > 0 ? total / seconds2 * 100 : 0;
          history.set(pid, stat, options.maxage, close);
          if (again) {
            return readProcFile(pid, options, done);
          }
          return done(null, {
            cpu,
            memory,
            ctime: stat.utime + stat.stime,
            elapsed: stat.uptime - stat.start,
            timestamp: date,
            pid,
            ppid: stat.ppid
          });
        });
      });
    }
    function procfile(pids, options, done) {
      updateCpu(cpuInfo, function(err, result) {
        if (err) return done(err);
        cpuInfo = result;
        const fns = {};
        pids.forEach(function(pid, i) {
          fns[pid] = function(cb) {
            readProcFile(pid, options, cb);
          };
        });
        parallel(fns, { graceful: true }, done);
      });
    }
    module.exports = procfile;
  }
});

// node_modules/pidusage/lib/wmic.js
var require_wmic = __commonJS({
  "node_modules/pidusage/lib/wmic.js"(exports, module) {
    "use strict";
    var os2 = __require("os");
    var bin = require_bin();
    var history = require_history();
    function parseDate(datestr) {
      const year = datestr.substring(0, 4);
      const month = datestr.substring(4, 6);
      const day = datestr.substring(6, 8);
      const hour = datestr.substring(8, 10);
      const minutes = datestr.substring(10, 12);
      const seconds2 = datestr.substring(12, 14);
      const useconds = datestr.substring(15, 21);
      const sign = datestr.substring(21, 22);
      const tmz = parseInt(datestr.substring(22, 25), 10);
      const tmzh = Math.floor(tmz / 60);
      const tmzm = tmz % 60;
      return /* @__PURE__ */ new Date(
        year + "-" + month + "-" + day + "T" + hour + ":" + minutes + ":" + seconds2 + "." + useconds + sign + (tmzh > 9 ? tmzh : "0" + tmzh) + (tmzm > 9 ? tmzm : "0" + tmzm)
      );
    }
    function wmic(pids, options, done) {
      let whereClause = "ProcessId=" + pids[0];
      for (let i = 1; i < pids.length; i++) {
        whereClause += " or ProcessId=" + pids[i];
      }
      const args = [
        "PROCESS",
        "where",
        '"' + whereClause + '"',
        "get",
        "CreationDate,KernelModeTime,ParentProcessId,ProcessId,UserModeTime,WorkingSetSize"
      ];
      bin("wmic", args, { windowsHide: true, windowsVerbatimArguments: true }, function(err, stdout, code) {
        if (err) {
          if (err.message.indexOf("No Instance(s) Available.") !== -1) {
            const error = new Error("No matching pid found");
            error.code = "ENOENT";
            return done(error);
          }
          return done(err);
        }
        if (code !== 0) {
          return done(new Error("pidusage wmic command exited with code " + code));
        }
        const date = Date.now();
        const uptime = Math.floor(os2.uptime() || date / 1e3);
        stdout = stdout.split(os2.EOL);
        let again = false;
        const statistics = {};
        for (let i = 1; i < stdout.length; i++) {
          const line = stdout[i].trim().split(/\s+/);
          if (!line || line.length !== 6) {
            continue;
          }
          const creation = parseDate(line[0]);
          const ppid = parseInt(line[2], 10);
          const pid = parseInt(line[3], 10);
          const kerneltime = Math.round(parseInt(line[1], 10) / 1e4);
          const usertime = Math.round(parseInt(line[4], 10) / 1e4);
          const memory = parseInt(line[5], 10);
          let hst = history.get(pid, options.maxage);
          if (hst === void 0) {
            again = true;
            hst = { ctime: kerneltime + usertime, uptime };
          }
          const total = (kerneltime + usertime - hst.ctime) / 1e3;
          const seconds2 = uptime - hst.uptime;
          const cpu = seconds2 > 0 ? total / seconds2 * 100 : 0;
          history.set(pid, { ctime: usertime + kerneltime, uptime }, options.maxage);
          statistics[pid] = {
            cpu,
            memory,
            ppid,
            pid,
            ctime: usertime + kerneltime,
            elapsed: date - creation.getTime(),
            timestamp: date
          };
        }
        if (again) {
          return wmic(pids, options, function(err2, stats) {
            if (err2) return done(err2);
            done(null, Object.assign(statistics, stats));
          });
        }
        done(null, statistics);
      });
    }
    module.exports = wmic;
  }
});

// node_modules/pidusage/lib/gwmi.js
var require_gwmi = __commonJS({
  "node_modules/pidusage/lib/gwmi.js"(exports, module) {
    "use strict";
    var os2 = __require("os");
    var bin = require_bin();
    var history = require_history();
    function parseDate(datestr) {
      const year = datestr.substring(0, 4);
      const month = datestr.substring(4, 6);
      const day = datestr.substring(6, 8);
      const hour = datestr.substring(8, 10);
      const minutes = datestr.substring(10, 12);
      const seconds2 = datestr.substring(12, 14);
      const useconds = datestr.substring(15, 21);
      const sign = datestr.substring(21, 22);
      const tmz = parseInt(datestr.substring(22, 25), 10);
      const tmzh = Math.floor(tmz / 60);
      const tmzm = tmz % 60;
      return /* @__PURE__ */ new Date(
        year + "-" + month + "-" + day + "T" + hour + ":" + minutes + ":" + seconds2 + "." + useconds + sign + (tmzh > 9 ? tmzh : "0" + tmzh) + (tmzm > 9 ? tmzm : "0" + tmzm)
      );
    }
    function gwmi(pids, options, done) {
      let whereClause = "ProcessId=" + pids[0];
      for (let i = 1; i < pids.length; i++) {
        whereClause += " or ProcessId=" + pids[i];
      }
      const property = "CreationDate,KernelModeTime,ParentProcessId,ProcessId,UserModeTime,WorkingSetSize";
      const command = "gwmi win32_process -Filter '" + whereClause + "' | select " + property + " | format-table";
      bin("powershell.exe", ["-NoProfile", "-NonInteractive", "-Command", command], { windowsHide: true }, function(err, stdout, code) {
        if (err) {
          if (err.message.indexOf("No Instance(s) Available.") !== -1) {
            const error = new Error("No matching pid found");
            error.code = "ENOENT";
            return done(error);
          }
          return done(err);
        }
        if (code !== 0) {
          return done(new Error("pidusage gwmi command exited with code " + code));
        }
        const date = Date.now();
        const uptime = Math.floor(os2.uptime() || date / 1e3);
        stdout = stdout.split(os2.EOL).slice(1);
        const index = stdout.findIndex((v) => !!v);
        stdout = stdout.slice(index + 2);
        if (!stdout.length) {
          const error = new Error("No matching pid found");
          error.code = "ENOENT";
          return done(error);
        }
        let again = false;
        const statistics = {};
        for (let i = 0; i < stdout.length; i++) {
          const line = stdout[i].trim().split(/\s+/);
          if (!line || line.length === 1) {
            continue;
          }
          const creation = parseDate(line[0]);
          const ppid = parseInt(line[2], 10);
          const pid = parseInt(line[3], 10);
          const kerneltime = Math.round(parseInt(line[1], 10) / 1e4);
          const usertime = Math.round(parseInt(line[4], 10) / 1e4);
          const memory = parseInt(line[5], 10);
          let hst = history.get(pid, options.maxage);
          if (hst === void 0) {
            again = true;
            hst = { ctime: kerneltime + usertime, uptime };
          }
          const total = (kerneltime + usertime - hst.ctime) / 1e3;
          const seconds2 = uptime - hst.uptime;
          const cpu = seconds2 > 0 ? total / seconds2 * 100 : 0;
          history.set(pid, { ctime: usertime + kerneltime, uptime }, options.maxage);
          statistics[pid] = {
            cpu,
            memory,
            ppid,
            pid,
            ctime: usertime + kerneltime,
            elapsed: date - creation.getTime(),
            timestamp: date
          };
        }
        if (again) {
          return gwmi(pids, options, function(err2, stats) {
            if (err2) return done(err2);
            done(null, Object.assign(statistics, stats));
          });
        }
        done(null, statistics);
      });
    }
    module.exports = gwmi;
  }
});

// node_modules/pidusage/lib/stats.js
var require_stats = __commonJS({
  "node_modules/pidusage/lib/stats.js"(exports, module) {
    "use strict";
    var fs = __require("fs");
    var os2 = __require("os");
    var path9 = __require("path");
    var requireMap = {
      ps: () => require_ps(),
      procfile: () => require_procfile(),
      wmic: () => require_wmic(),
      gwmi: () => require_gwmi()
    };
    var platformToMethod = {
      aix: "ps",
      os400: "ps",
      android: "procfile",
      alpine: "procfile",
      darwin: "ps",
      freebsd: "ps",
      os390: "ps",
      linux: "procfile",
      netbsd: "procfile",
      openbsd: "ps",
      sunos: "ps",
      win: "wmic"
    };
    var platform = os2.platform();
    if (fs.existsSync("/etc/alpine-release")) {
      platform = "alpine";
    }
    if (platform.match(/^win/)) {
      platform = "win";
    }
    var stat;
    try {
      stat = requireMap[platformToMethod[platform]]();
    } catch (err) {
    }
    var wmicAvailable;
    function hasWmic() {
      if (wmicAvailable === void 0) {
        wmicAvailable = fs.existsSync(path9.join(process.env.SystemRoot || "C:\\Windows", "System32", "wbem", "WMIC.exe"));
      }
      return wmicAvailable;
    }
    function get(pids, options, callback) {
      let fn = stat;
      if (platform !== "win" && options.usePs === true) {
        fn = requireMap.ps();
      }
      if (platform === "win") {
        fn = options.useGwmi === true || !hasWmic() ? requireMap.gwmi() : requireMap.wmic();
      }
      if (fn === void 0) {
        return callback(new Error(os2.platform() + " is not supported yet, please open an issue (https://github.com/soyuka/pidusage)"));
      }
      let single = false;
      if (!Array.isArray(pids)) {
        single = true;
        pids = [pids];
      }
      if (pids.length === 0) {
        return callback(new TypeError("You must provide at least one pid"));
      }
      for (let i = 0; i < pids.length; i++) {
        pids[i] = parseInt(pids[i], 10);
        if (isNaN(pids[i]) || pids[i] < 0) {
          return callback(new TypeError("One of the pids provided is invalid"));
        }
      }
      fn(pids, options, function(err, stats) {
        if (err) {
          return callback(err);
        }
        if (single) {
          callback(null, stats[pids[0]]);
        } else {
          callback(null, stats);
        }
      });
    }
    module.exports = get;
  }
});

// node_modules/pidusage/index.js
var require_pidusage = __commonJS({
  "node_modules/pidusage/index.js"(exports, module) {
    "use strict";
    var stats = require_stats();
    function pidusage2(pids, options, callback) {
      if (typeof options === "function") {
        callback = options;
        options = {};
      }
      if (options === void 0) {
        options = {};
      }
      options = Object.assign({
        usePs: /^true$/i.test(process.env.PIDUSAGE_USE_PS),
        maxage: process.env.PIDUSAGE_MAXAGE
      }, options);
      if (typeof callback === "function") {
        stats(pids, options, callback);
        return;
      }
      return new Promise(function(resolve, reject) {
        stats(pids, options, function(err, data) {
          if (err) return reject(err);
          resolve(data);
        });
      });
    }
    module.exports = pidusage2;
    module.exports.clear = require_history().clear;
  }
});

// node_modules/shell-quote/quote.js
var require_quote = __commonJS({
  "node_modules/shell-quote/quote.js"(exports, module) {
    "use strict";
    var OPS = (
      /** @type {const} */
      [
        "||",
        "&&",
        ";;&",
        ";;",
        ";&",
        "|&",
        "<(",
        ">(",
        "<<<",
        "<<-",
        "<<",
        ">>",
        ">&",
        ">|",
        "&>>",
        "&>",
        "<&",
        "<>",
        "&",
        ";",
        "(",
        ")",
        "|",
        "<",
        ">"
      ]
    );
    var LINE_TERMINATORS = /[\n\r\u2028\u2029]/;
    var GLOB_SHELL_SPECIAL = /[\s#!"$&'():;<=>@\\^`|~]/g;
    module.exports = function quote(xs) {
      var sawComment = false;
      return xs.map(function(s) {
        if (sawComment && typeof s === "string" && LINE_TERMINATORS.test(s)) {
          throw new TypeError("a token after a `comment` must not contain line terminators");
        }
        if (s === "") {
          return (
            /** @type {const} */
            "''"
          );
        }
        if (s && typeof s === "object") {
          if ("op" in s && s.op === "glob") {
            if (typeof s.pattern !== "string") {
              throw new TypeError("glob token requires a string `pattern`");
            }
            if (LINE_TERMINATORS.test(s.pattern)) {
              throw new TypeError("glob `pattern` must not contain line terminators");
            }
            if (s.pattern === "") {
              return (
                /** @type {const} */
                "''"
              );
            }
            return s.pattern.replace(GLOB_SHELL_SPECIAL, "\\$&");
          }
          if ("op" in s && typeof s.op === "string") {
            if (OPS.indexOf(s.op) < 0) {
              throw new TypeError("invalid `op` value: " + JSON.stringify(s.op));
            }
            return s.op.replace(/[\s\S]/g, "\\$&");
          }
          if ("comment" in s && typeof s.comment === "string") {
            if (LINE_TERMINATORS.test(s.comment)) {
              throw new TypeError("`comment` must not contain line terminators");
            }
            sawComment = true;
            return "#" + s.comment;
          }
          throw new TypeError("unrecognized object token shape");
        }
        if (/'/.test(s) && /!/.test(s)) {
          return "'" + s.replace(/'/g, `'"'"'`) + "'";
        }
        if (/["\s\\]/.test(s) && !/'/.test(s)) {
          return "'" + s + "'";
        }
        if (/["'\s]/.test(s)) {
          return '"' + s.replace(/(["\\$`])/g, "\\$1") + '"';
        }
        return String(s).replace(/([A-Za-z]:)?([#!"$&'()*,:;<=>?@[\\\]^`{|}~])/g, "$1\\$2");
      }).join(" ");
    };
  }
});

// node_modules/shell-quote/parse.js
var require_parse = __commonJS({
  "node_modules/shell-quote/parse.js"(exports, module) {
    "use strict";
    var CONTROL = (
      /** @type {const} */
      "(?:" + /** @type {const} */
      [
        "\\|\\|",
        "\\&(?:\\&|>>?)",
        // `&&`, `&>`, and `&>>`
        ";;\\&?",
        // `;;` and `;;&`
        "[;|]\\&",
        // `;&` and `|&`
        "\\<\\(",
        "\\<\\<\\<",
        "\\<\\<-",
        "\\<\\<(?!\\()",
        // `<<(` stays `<` and `<(`, as zsh reads it; other shells reject it
        ">>",
        ">[&|(]",
        // `>&`, `>|`, and `>(`
        "<[&>]",
        // `<&` and `<>`
        "[&;()|<>]"
      ].join(
        /** @type {const} */
        "|"
      ) + /** @type {const} */
      ")"
    );
    var controlRE = new RegExp("^" + CONTROL + "$");
    var META = (
      /** @type {const} */
      "|&;()<> \\t"
    );
    var SINGLE_QUOTE = (
      /** @type {const} */
      "'([^']*?)'"
    );
    var ANSI_C_BODY = "(?:\\\\[\\s\\S]|[^\\\\'])*?";
    var ANSI_C_QUOTE = "\\$'" + ANSI_C_BODY + "'";
    var ansiCAt = new RegExp("\\$'" + ANSI_C_BODY + "(?:(')|\\\\?$)", "g");
    var ANSI_C_LETTERS = "abeEfnrtv";
    var ANSI_C_CHARS = "\x07\b\x1B\x1B\f\n\r	\v";
    var hash = /^#$/;
    var SQ = (
      /** @type {const} */
      "'"
    );
    var DQ = (
      /** @type {const} */
      '"'
    );
    var DS = (
      /** @type {const} */
      "$"
    );
    var TOKEN = "";
    var mult = (
      /** @type {const} */
      4294967296
    );
    for (i = 0; i < 4; i++) {
      TOKEN += (mult * Math.random()).toString(16);
    }
    var i;
    var startsWithToken = new RegExp("^" + TOKEN);
    function matchAll(s, r) {
      var origIndex = r.lastIndex;
      var matches = [];
      var matchObj;
      while (matchObj = r.exec(s)) {
        matches[matches.length] = matchObj;
        if (r.lastIndex === matchObj.index) {
          r.lastIndex += 1;
        }
      }
      r.lastIndex = origIndex;
      return matches;
    }
    function getVar(env, pre, key) {
      var r = typeof env === "function" ? env(key) : env[key];
      if (typeof r === "undefined" && key != "") {
        r = "";
      } else if (typeof r === "undefined") {
        r = "$";
      }
      if (typeof r === "object") {
        return pre + TOKEN + JSON.stringify(r) + TOKEN;
      }
      return pre + r;
    }
    var ansiCEscape = /\\([0-7]{1,3}|x[\dA-Fa-f]{1,2}|u[\dA-Fa-f]{1,4}|U[\dA-Fa-f]{1,8}|c(?:\\\\|[\s\S])|[abeEfnrtv\\'"?])/g;
    function expandAnsiCEscape(m, escape) {
      var kind = escape.charAt(0);
      if (kind === "c") {
        var ctrl = escape.charAt(1);
        return ctrl === "?" ? "\x7F" : String.fromCharCode(ctrl.charCodeAt(0) & 31);
      }
      if (kind === "x" || kind === "u" || kind === "U") {
        var cp = parseInt(escape.slice(1), 16);
        if (cp > 1114111) {
          return m;
        }
        return String.fromCharCode.apply(null, cp > 65535 ? [55232 + (cp >> 10), 56320 + (cp & 1023)] : [cp]);
      }
      if (kind >= "0" && kind <= "7") {
        return String.fromCharCode(parseInt(escape, 8) & 255);
      }
      var letter = ANSI_C_LETTERS.indexOf(escape);
      return letter < 0 ? escape : ANSI_C_CHARS.charAt(letter);
    }
    function expandAnsiC(body) {
      return body.replace(ansiCEscape, expandAnsiCEscape).split("\0")[0];
    }
    function closesAnsiC(s, i2) {
      ansiCAt.lastIndex = i2;
      return !!/** @type {RegExpExecArray} */
      ansiCAt.exec(s)[1];
    }
    function parseInternal(string, env, opts) {
      if (!opts) {
        opts = {};
      }
      var BS = opts.escape || "\\";
      var ifs = opts.splitUnquoted === true ? " 	\n" : typeof opts.splitUnquoted === "string" ? opts.splitUnquoted : "";
      var BAREWORD = "(\\" + BS + `['"$\\` + BS + META + "]|\\$\\$|\\$(?!" + ANSI_C_QUOTE.slice(2) + `)|[^\\s'"$` + META + "])+";
      var DOUBLE_QUOTE = '"(?:\\' + BS + '[\\s\\S]|[^"\\' + BS + '])*"';
      var chunker = new RegExp([
        "(" + CONTROL + ")",
        // control chars
        "(" + ANSI_C_QUOTE + "|" + BAREWORD + "|" + DOUBLE_QUOTE + "|" + SINGLE_QUOTE + ")+"
      ].join("|"), "g");
      var matches = matchAll(string, chunker);
      if (matches.length === 0) {
        return [];
      }
      if (!env) {
        env = {};
      }
      var commented = false;
      return matches.map(function(match) {
        var s = match[0];
        if (!s || commented) {
          return void 0;
        }
        if (controlRE.test(s)) {
          return (
            /** @type {ControlOperator} */
            { op: s }
          );
        }
        var quote = false;
        var esc = false;
        var out = "";
        var words = [];
        var sawQuote = false;
        var pendingNw = null;
        var isGlob = false;
        var i2;
        function parseEnvVar() {
          i2 += 1;
          var varend;
          var varname;
          var char = s.charAt(i2);
          if (char === "{") {
            i2 += 1;
            if (s.charAt(i2) === "}") {
              throw new Error("Bad substitution: " + s.slice(i2 - 2, i2 + 1));
            }
            var depth = 1;
            varend = i2;
            while (depth > 0 && varend < s.length) {
              if (s.charAt(varend) === "{" && s.charAt(varend - 1) === "$") {
                depth += 1;
              } else if (s.charAt(varend) === "}") {
                depth -= 1;
              }
              varend += 1;
            }
            if (depth !== 0) {
              throw new Error("Bad substitution: " + s.slice(i2));
            }
            varend -= 1;
            varname = s.slice(i2, varend);
            i2 = varend;
          } else if (/[*@#?$!-]/.test(char)) {
            varname = char;
          } else {
            var slicedFromI = s.slice(i2);
            varend = slicedFromI.match(/[^\w\d_]/);
            if (!varend) {
              varname = slicedFromI;
              i2 = s.length;
            } else {
              varname = slicedFromI.slice(0, varend.index);
              i2 += /** @type {number} */
              varend.index - 1;
            }
          }
          return getVar(
            /** @type {NonNullable<typeof env>} */
            env,
            "",
            varname
          );
        }
        function flushRun() {
          if (pendingNw === null) {
            return;
          }
          if (pendingNw === 0) {
            if (out !== "") {
              words[words.length] = out;
              out = "";
            }
          } else {
            words[words.length] = out;
            out = "";
            for (var fe = 1; fe < pendingNw; fe += 1) {
              words[words.length] = "";
            }
          }
          pendingNw = null;
        }
        for (i2 = 0; i2 < s.length; i2++) {
          var c = s.charAt(i2);
          if (ifs && c !== DS) {
            flushRun();
          }
          isGlob = isGlob || !quote && (c === "*" || c === "?");
          if (esc) {
            out += c;
            esc = false;
          } else if (quote) {
            if (c === quote) {
              quote = false;
            } else if (quote == SQ) {
              out += c;
            } else {
              if (c === BS) {
                i2 += 1;
                c = s.charAt(i2);
                if (c === DQ || c === BS || c === DS) {
                  out += c;
                } else {
                  out += BS + c;
                }
              } else if (c === DS) {
                out += parseEnvVar();
              } else {
                out += c;
              }
            }
          } else if (c === DQ || c === SQ) {
            quote = c;
            sawQuote = true;
          } else if (controlRE.test(c)) {
            return (
              /** @type {ControlOperator} */
              { op: s }
            );
          } else if (hash.test(c)) {
            commented = true;
            var commentObj = { comment: string.slice(match.index + i2 + 1) };
            if (out.length) {
              return (
                /** @type {const} */
                [out, commentObj]
              );
            }
            return (
              /** @type {const} */
              [commentObj]
            );
          } else if (c === BS) {
            esc = true;
          } else if (c === DS && s.charAt(i2 + 1) === SQ && closesAnsiC(s, i2)) {
            flushRun();
            sawQuote = true;
            out += expandAnsiC(s.slice(i2 + 2, ansiCAt.lastIndex - 1));
            i2 = ansiCAt.lastIndex - 1;
          } else if (c === DS) {
            var value = parseEnvVar();
            if (!ifs) {
              out += value;
            } else {
              for (var vi = 0; vi < value.length; vi += 1) {
                var vc = value.charAt(vi);
                if (ifs.indexOf(vc) < 0) {
                  flushRun();
                  out += vc;
                } else if (pendingNw === null) {
                  pendingNw = vc === " " || vc === "	" || vc === "\n" ? 0 : 1;
                } else if (vc !== " " && vc !== "	" && vc !== "\n") {
                  pendingNw += 1;
                }
              }
            }
          } else {
            out += c;
          }
        }
        if (isGlob) {
          return (
            /** @type {GlobPattern} */
            { op: "glob", pattern: out }
          );
        }
        if (ifs) {
          if (pendingNw !== null && pendingNw > 0) {
            words[words.length] = out;
            out = "";
            for (var te = 1; te < pendingNw; te += 1) {
              words[words.length] = "";
            }
          }
          if (out !== "" || sawQuote && words.length === 0) {
            words[words.length] = out;
          }
          return words;
        }
        return out;
      }).reduce(
        function(prev, arg) {
          if (typeof arg === "undefined") {
            return prev;
          }
          [].concat(arg).forEach(function(entry) {
            prev[prev.length] = entry;
          });
          return prev;
        },
        /** @type {ParseEntry[]} */
        []
      );
    }
    module.exports = function parse2(s, env, opts) {
      var mapped = parseInternal(s, env, opts);
      if (typeof env !== "function") {
        return mapped;
      }
      return mapped.reduce(
        function(acc, s2) {
          if (typeof s2 === "object") {
            acc[acc.length] = s2;
            return acc;
          }
          var xs = s2.split(RegExp("(" + TOKEN + ".*?" + TOKEN + ")", "g"));
          if (xs.length === 1) {
            acc[acc.length] = xs[0];
            return acc;
          }
          xs.filter(Boolean).forEach(function(x) {
            acc[acc.length] = startsWithToken.test(x) ? JSON.parse(x.split(TOKEN)[1]) : x;
          });
          return acc;
        },
        /** @type {ParseEntry[]} */
        []
      );
    };
  }
});

// node_modules/shell-quote/index.js
var require_shell_quote = __commonJS({
  "node_modules/shell-quote/index.js"(exports) {
    "use strict";
    exports.quote = require_quote();
    exports.parse = require_parse();
  }
});

// src/report.ts
var REPORT_VERSION = 2;
function measuredNothing(report) {
  return report.coverage.measured === 0;
}
function testKey(test) {
  return test.shard === void 0 ? test.id : `${test.id} [shard ${test.shard}]`;
}
function keptSize(test) {
  return test.confirmation?.perRun ?? test.delta;
}
var MAX_REPORTED_SITES = 5;

// src/size.ts
var UNIT_FACTORS = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40
};
var SIZE_FORMS = "512KB, 10MB, 1.5GiB or a plain number of bytes, under 9 PB (KB, MB, GB: powers of 1000; KiB, MiB, GiB: 1024)";
function parseSize(text) {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return void 0;
  const [, amount = "", unit = ""] = match;
  const factor = UNIT_FACTORS[unit.toLowerCase() || "b"];
  if (factor === void 0) return void 0;
  const bytes = Math.round(Number(amount) * factor);
  return Number.isSafeInteger(bytes) ? bytes : void 0;
}
function sizeSuggestion(text) {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgt])\s*$/i.exec(text);
  if (!match) return void 0;
  const [, amount = "", letter = ""] = match;
  const unit = letter.toUpperCase();
  return `${amount}${unit}B or ${amount}${unit}iB`;
}
var DISPLAY_UNITS = ["KB", "MB", "GB", "TB"];
function formatSize(bytes) {
  const sign = bytes < 0 ? "-" : "";
  let value = Math.abs(bytes);
  if (value < 1e3) return `${sign}${value} B`;
  let unit = 0;
  value /= 1e3;
  while (value >= 999.95 && unit < DISPLAY_UNITS.length - 1) {
    value /= 1e3;
    unit += 1;
  }
  return `${sign}${value.toFixed(1)} ${DISPLAY_UNITS[unit] ?? ""}`;
}

// src/sites.ts
var SMALLEST_SHARE = 0.01;
function keptSites(trace, perRun, test) {
  if (trace === void 0 || trace.traced === null) return { sites: [], unattributed: null };
  const bytes = Math.max(0, perRun - trace.traced);
  return {
    sites: trace.sites.filter((site) => site.size > 0 && site.size >= SMALLEST_SHARE * perRun).sort((a, b) => b.size - a.size).slice(0, MAX_REPORTED_SITES),
    unattributed: { bytes, kind: test.measures === "rss" ? "native" : nodeKind(bytes, trace, test) }
  };
}
function nodeKind(bytes, trace, test) {
  const external = (test.confirmation?.runs ?? []).slice(1).flatMap((run) => run.externalDelta ?? []);
  if (external.length === 0) return "unknown";
  const unplacedExternal = Math.max(0, median(external) - (trace.external ?? 0));
  return unplacedExternal >= bytes / 2 ? "external" : "unknown";
}

// src/confirm.ts
var MAX_CONFIRMED = 50;
var CANCELLED_BEFORE = "the job was cancelled before it was run alone";
var CANCELLED_WHILE = "the job was cancelled while it ran alone";
function sortOut(batch, recorded, asked) {
  const shared = batch.length > 1;
  const sorted = { settled: [], ownStart: [], together: [] };
  const notReached = [];
  for (const id of batch) {
    const { runs, unfinished, disturbed } = recorded.get(id) ?? { runs: [], unfinished: false, disturbed: false };
    if (runs.length >= asked && !disturbed) sorted.settled.push(id);
    else if (runs.length > 0 || unfinished) (shared ? sorted.ownStart : sorted.settled).push(id);
    else notReached.push(id);
  }
  const fellShort = sorted.ownStart.length > 0;
  (fellShort ? sorted.together : shared ? sorted.ownStart : sorted.settled).push(...notReached);
  return sorted;
}
function suspectsOf(report) {
  return report.tests.filter(isSuspect).sort((a, b) => b.delta - a.delta);
}
function isSuspect(test) {
  return test.verdict === "leak" || test.verdict === "ok" && test.disturbed;
}
function judge(alone, asked, limit) {
  const deltas = alone.runs.map((run) => run.delta);
  if (deltas.length < 2) {
    const problem = alone.problem ?? `it ran ${deltas.length} of ${asked} times alone`;
    return { verdict: "unconfirmed", confirmation: { runs: alone.runs, perRun: null, problem } };
  }
  const later = deltas.slice(1);
  const perRun = median(later);
  const first = deltas[0] ?? 0;
  const verdict2 = disagree(later, limit) ? "unstable" : perRun > limit ? "leak" : first > limit / 2 ? "warm-up" : "noise";
  return { verdict: verdict2, confirmation: { runs: alone.runs, perRun, problem: null } };
}
function disagree(deltas, limit) {
  if (Math.max(...deltas) - Math.min(...deltas) <= limit) return false;
  const reading = (delta) => delta > limit ? "kept" : delta < -limit ? "freed" : "level";
  const counts = /* @__PURE__ */ new Map();
  for (const delta of deltas) counts.set(reading(delta), (counts.get(reading(delta)) ?? 0) + 1);
  return Math.max(...counts.values()) * 3 < deltas.length * 2;
}
function applyConfirmations(report, results) {
  const tests = report.tests.map((test) => {
    const result = results.get(test.id);
    if (result === void 0 || !isSuspect(test)) return test;
    const judged = typeof result === "string" ? { verdict: "unconfirmed", confirmation: { runs: [], perRun: null, problem: result } } : judge(result, report.confirmRuns, report.limit);
    const verdict2 = test.verdict === "ok" && (judged.verdict === "noise" || judged.verdict === "unconfirmed") ? "ok" : judged.verdict;
    return { ...test, ...judged, verdict: verdict2, leaked: verdict2 === "leak" || verdict2 === "unconfirmed" };
  });
  return { ...report, tests };
}
function withTraces(report, traces) {
  const tests = report.tests.map((test) => {
    const perRun = test.confirmation?.perRun ?? null;
    if (test.verdict !== "leak" || perRun === null || !traces.has(test.id)) return test;
    return { ...test, ...keptSites(traces.get(test.id), perRun, test) };
  });
  return { ...report, tests };
}
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] ?? 0 : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

// src/format/findings.ts
function findingsOf(report) {
  const tests = [...report.tests].sort((a, b) => keptSize(b) - keptSize(a));
  const withVerdict = (verdict2) => tests.filter((test) => test.verdict === verdict2);
  return {
    leaks: tests.filter((test) => test.leaked),
    warmUps: withVerdict("warm-up"),
    noise: withVerdict("noise"),
    unstable: withVerdict("unstable"),
    ignored: withVerdict("ignored"),
    incomplete: report.incomplete
  };
}
function headline(report, findings, { died, shards } = {}) {
  const limit = formatSize(report.limit);
  const measured = report.coverage.measured;
  const { coverage } = report;
  const cancelled2 = !report.cancelled ? "" : report.shards === void 0 ? "cancelled; " : `${plural(report.shards.filter((shard) => shard.cancelled).length, "shard")} cancelled; `;
  if (measuredNothing(report)) {
    const why = report.exitCode === 0 || report.shards !== void 0 ? "" : ` (the test command exited with ${report.exitCode})`;
    return [cancelled2 + `nothing was measured${why}: no test has a figure, so no leak could be found`, shards].filter(Boolean).join("; ");
  }
  const inShards = report.shards === void 0 ? "" : ` in ${plural(report.shards.length, "shard")}`;
  const partial = coverage.unmeasured > 0 || coverage.unsupported.length > 0;
  const of = partial ? `measured ${measured} of ${coverage.collected ?? measured + coverage.unmeasured} tests${inShards}` : (report.missingShards?.length ?? 0) > 0 && findings.leaks.length === 0 ? `measured ${plural(measured, "test")}${inShards}` : "";
  const verdict2 = findings.leaks.length === 0 ? of ? `${of}; none of them leaked more than ${limit}` : `no test leaked more than ${limit} (${plural(measured, "test")} measured${inShards})` : `${findings.leaks.length} of ${plural(measured, "test")}${of ? "" : inShards} leaked more than ${limit}${of ? ` (${of})` : ""}`;
  const withPeak = report.peak === null ? verdict2 : `${verdict2}, peak RSS ${formatSize(report.peak)}`;
  const newLeaks = report.comparison?.new.length;
  const first = [
    newLeaks === void 0 ? "" : `${plural(newLeaks, "new leak")} since the base`,
    died ?? "",
    shards ?? ""
  ];
  return cancelled2 + [...first.filter(Boolean), withPeak].join("; ");
}
function shardsHeadline(report, name2) {
  const missing = report.missingShards ?? [];
  const failed = (report.shards ?? []).filter((shard) => shard.exitCode !== 0 && !shard.cancelled);
  const all = missing.length + (report.shards?.length ?? 0);
  const listed = (labels) => labels.slice(0, 5).join(", ") + (labels.length > 5 ? ` and ${labels.length - 5} more` : "");
  const parts = [
    missing.length === 0 ? "" : `${missing.length} of ${plural(all, "shard")} left no report: ${listed(missing.map((shard) => name2(shard.label)))}`,
    failed.length === 0 ? "" : `${plural(failed.length, "shard")} failed: ${listed(failed.map((shard) => `${name2(shard.label)} (exit ${shard.exitCode})`))}`
  ].filter(Boolean);
  return parts.length === 0 ? void 0 : parts.join("; ");
}
function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
function leakDetail(test) {
  const parts = [];
  const confirmation = test.confirmation;
  if (confirmation?.perRun != null) {
    parts.push(`keeps ${formatSize(confirmation.perRun)} per run (${runsAlone(test)})`);
  } else if (confirmation?.problem != null) {
    parts.push(`not confirmed: ${confirmation.problem}`);
  }
  const heap = heapText(test);
  if (heap !== void 0) parts.push(heap);
  return parts.join("; ");
}
function heapText(test) {
  if (test.measures !== "heap") return void 0;
  const { heap, external } = heapSplit(test);
  return `JS heap ${formatSize(heap)}, external ${formatSize(external)}`;
}
var AGREEING_SPREAD = 0.1;
function usualConfirmation(leaks) {
  const counts = /* @__PURE__ */ new Map();
  for (const test of leaks) {
    if (agreeingRuns(test) !== void 0) {
      const runs = test.confirmation?.runs.length ?? 0;
      counts.set(runs, (counts.get(runs) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}
function agreeingRuns(test) {
  const perRun = test.confirmation?.perRun;
  if (perRun == null) return void 0;
  const deltas = test.confirmation?.runs.map((run) => run.delta) ?? [];
  const spread = Math.max(...deltas) - Math.min(...deltas);
  return spread <= AGREEING_SPREAD * perRun ? deltas.length : void 0;
}
function unusualConfirmation(test, usual) {
  const confirmation = test.confirmation;
  if (confirmation === null) return void 0;
  if (confirmation.perRun == null)
    return confirmation.problem === null ? void 0 : `not confirmed: ${confirmation.problem}`;
  return agreeingRuns(test) === usual ? void 0 : runsAlone(test);
}
function siteText(site, measures) {
  return `${location(site)} ${siteSummary(site, measures)}`;
}
function siteSummary(site, measures) {
  const unit = measures === "rss" ? "block" : "object";
  const count = `${site.count.toLocaleString("en-US")} ${site.count === 1 ? unit : `${unit}s`}`;
  return `in ${site.function} (${formatSize(site.size)}, ${count})`;
}
function unattributedText(test) {
  const { unattributed } = test;
  if (unattributed === null || unattributed.bytes < keptSize(test) / 10) return void 0;
  const where = {
    native: "outside Python's allocator: a C extension or native library",
    external: "outside the JavaScript heap: Buffers, ArrayBuffers or a native addon",
    unknown: "that the tracer could not place"
  }[unattributed.kind];
  return `${formatSize(unattributed.bytes)} kept ${where}`;
}
function heapSplit(test) {
  const later = test.confirmation?.perRun != null ? test.confirmation.runs.slice(1) : [];
  const heaps = later.flatMap((run) => run.heapDelta ?? []);
  const externals = later.flatMap((run) => run.externalDelta ?? []);
  if (later.length === 0 || heaps.length < later.length || externals.length < later.length) {
    return { heap: test.heapDelta ?? 0, external: test.externalDelta ?? 0 };
  }
  return { heap: median(heaps), external: median(externals) };
}
function warmUpSize(test) {
  return test.confirmation?.runs[0]?.delta ?? test.delta;
}
function runsAlone(test) {
  const runs = test.confirmation?.runs ?? [];
  return `${plural(runs.length, "run")} alone kept ${runs.map((run) => formatSize(run.delta)).join(", ")}`;
}
function location(test) {
  return test.line === null ? test.file : `${test.file}:${test.line}`;
}
function testsNamed(report, keys) {
  const tests = new Map(report.tests.map((test) => [testKey(test), test]));
  return keys.flatMap((key) => tests.get(key) ?? []);
}
function changeSummary(comparison) {
  const leaks = [
    comparison.new.length === 0 ? "no new leak" : plural(comparison.new.length, "new leak"),
    `${comparison.fixed.length} fixed`,
    `${comparison.regressed.length} regressed`
  ];
  const tests = `${plural(comparison.added.length, "test")} added, ${comparison.removed.length} removed`;
  return `${leaks.join(", ")}; ${tests}`;
}
function baseName(base) {
  if (base.file !== null) return base.file;
  const run = base.runId === null ? "" : ` (run ${base.runId})`;
  return `commit ${(base.commit ?? "unknown").slice(0, 7)}${run}`;
}
function peakChange(comparison) {
  const { base, current } = comparison.peak;
  if (base === null || current === null) return void 0;
  return `peak RSS ${formatSize(current)}, ${formatSize(base)} in the base`;
}
function diedDetail(test) {
  const when = test.lastSeenAt === null ? "" : ` ${test.lastSeenAt.toFixed(1)} s into the run`;
  return `its process's last memory sample${when} read ${formatSize(test.lastSeen)}, ${formatSize(test.lastSeen - test.before)} more than at the test's start (sampled every 0.5 s: it may have grown after)`;
}
var LEAST_NUMBERED_CASES = 3;
function groupCases(tests) {
  const numbered = /* @__PURE__ */ new Map();
  for (const test of tests) {
    const key = numberedKey(test.id);
    if (parametrizedKey(test.id) === void 0 && key !== void 0) numbered.set(key, (numbered.get(key) ?? 0) + 1);
  }
  const keyOf = (id) => {
    const numberedCase = numberedKey(id);
    const alike = numberedCase === void 0 ? 0 : numbered.get(numberedCase) ?? 0;
    return parametrizedKey(id) ?? (alike >= LEAST_NUMBERED_CASES && numberedCase !== void 0 ? numberedCase : id);
  };
  const groups = /* @__PURE__ */ new Map();
  for (const test of tests) {
    const key = keyOf(test.id);
    const group = groups.get(key) ?? { label: key, tests: [] };
    group.tests.push(test);
    groups.set(key, group);
  }
  return [...groups.values()].map(
    (group) => group.tests.length === 1 ? { label: group.tests[0]?.id ?? group.label, tests: group.tests } : group
  );
}
function parametrizedKey(id) {
  const names = id.indexOf("::");
  const bracket = names < 0 ? -1 : id.indexOf("[", names);
  return bracket < 0 || !id.endsWith("]") ? void 0 : `${id.slice(0, bracket)}[\u2026]`;
}
function numberedKey(id) {
  const last = id.lastIndexOf(" > ");
  if (last < 0) return void 0;
  return id.slice(0, last + 3) + id.slice(last + 3).replace(/\d+(?:\.\d+)?/g, "\u2026");
}
var CROWDED_FILE_ROWS = 8;
var FILE_ROWS_SHOWN = 5;
function foldCrowdedFiles(groups) {
  const fileOf = (group) => group.tests[0]?.file ?? "";
  const rowsOfFile = /* @__PURE__ */ new Map();
  for (const group of groups) rowsOfFile.set(fileOf(group), (rowsOfFile.get(fileOf(group)) ?? 0) + 1);
  const seen = /* @__PURE__ */ new Map();
  const folds = /* @__PURE__ */ new Map();
  const rows = [];
  for (const group of groups) {
    const file = fileOf(group);
    const index = seen.get(file) ?? 0;
    seen.set(file, index + 1);
    if ((rowsOfFile.get(file) ?? 0) <= CROWDED_FILE_ROWS || index < FILE_ROWS_SHOWN) {
      rows.push(group);
      continue;
    }
    const fold = folds.get(file);
    if (fold !== void 0) {
      fold.groups.push(group);
      continue;
    }
    const created = { file, groups: [group] };
    folds.set(file, created);
    rows.push(created);
  }
  return rows;
}

// src/format/terminal.ts
function renderTerminal(report) {
  const findings = findingsOf(report);
  const lines = [`leakwatch: ${headline(report, findings, { shards: shardsHeadline(report, printable) })}`];
  for (const shard of report.shards ?? []) {
    const peak = shard.peak === null ? "" : `, peak RSS ${formatSize(shard.peak)}`;
    const state = shard.cancelled ? "was cancelled" : `exited with ${shard.exitCode}`;
    lines.push(
      `leakwatch: shard ${printable(shard.label)}: ${plural(shard.tests, "test")}, ${shard.leaks} leaked${peak}; '${printable(shard.command)}' ${state}`
    );
  }
  const comparison = report.comparison;
  if (report.baselineProblem !== null) lines.push(`leakwatch: no comparison with the base: ${report.baselineProblem}`);
  if (comparison !== null) {
    const peak = peakChange(comparison);
    lines.push(
      `leakwatch: since the base (${baseName(comparison.base)}): ${changeSummary(comparison)}${peak ? `; ${peak}` : ""}`
    );
  }
  const newLeaks = new Set(comparison?.new);
  const inBase = (id) => {
    const kept = comparison?.baseKept[id];
    return kept === void 0 ? "not in the base" : `${formatSize(kept)} in the base`;
  };
  for (const test of findings.leaks) {
    const failed = test.outcome === "passed" ? "" : ` (${test.outcome})`;
    const fresh = newLeaks.has(testKey(test)) ? " (new)" : "";
    const detail2 = leakDetail(test);
    lines.push(
      `LEAKED ${formatSize(keptSize(test))} in ${printable(testKey(test))}${fresh}${failed}${detail2 ? `: ${detail2}` : ""}`
    );
    test.sites.forEach((site, index) => {
      lines.push(`  allocated at ${printable(siteText(site, test.measures))}`);
      if (index === 0)
        for (const frame of site.stack.slice(1, 4)) lines.push(`    from ${printable(frameText(frame))}`);
    });
    const unattributed = unattributedText(test);
    if (unattributed !== void 0) lines.push(`  ${unattributed}`);
  }
  for (const test of testsNamed(report, comparison?.regressed ?? [])) {
    lines.push(`REGRESSED ${formatSize(keptSize(test))} in ${printable(testKey(test))}, ${inBase(testKey(test))}`);
  }
  for (const test of testsNamed(report, comparison?.fixed ?? [])) {
    lines.push(`fixed: ${printable(testKey(test))} keeps ${formatSize(keptSize(test))}, ${inBase(testKey(test))}`);
  }
  for (const test of findings.incomplete) {
    lines.push(`DIED IN ${printable(testKey(test))}: its process ended during the test; ${diedDetail(test)}`);
  }
  for (const test of findings.warmUps) {
    lines.push(
      `warm-up, not a leak: ${formatSize(warmUpSize(test))} in ${printable(testKey(test))} (${runsAlone(test)})`
    );
  }
  for (const test of findings.unstable) {
    lines.push(
      `unstable, not a leak: ${formatSize(test.delta)} in ${printable(testKey(test))} in the suite, but its runs alone disagree (${runsAlone(test)})`
    );
  }
  for (const test of findings.noise) {
    lines.push(`noise, not a leak: ${formatSize(test.delta)} in ${printable(testKey(test))} (${runsAlone(test)})`);
  }
  for (const test of findings.ignored) {
    lines.push(`ignored: ${formatSize(test.delta)} in ${printable(testKey(test))}`);
  }
  return lines;
}
function frameText(frame) {
  return `${frame.file}:${frame.line} in ${frame.function}`;
}
function printable(text) {
  return text.replace(new RegExp("\\p{Cc}", "gu"), (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`);
}

// src/log.ts
import { randomBytes } from "node:crypto";
function printLines(lines, stream = "stdout") {
  if (lines.length === 0) return;
  const out = stream === "stdout" ? process.stdout : process.stderr;
  const text = lines.map((line) => `${printable(line)}
`).join("");
  if (process.env.GITHUB_ACTIONS !== "true") {
    out.write(text);
    return;
  }
  const token = `leakwatch-${randomBytes(16).toString("hex")}`;
  out.write(`::stop-commands::${token}
${text}::${token}::
`);
}
function printLine(line, stream = "stdout") {
  printLines([line], stream);
}
function inert(text) {
  return printable(text.replace(ANSI_ESCAPE, "")).replaceAll("##[", "#\u200B#[");
}
var ANSI_ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

// src/command.ts
import { spawn } from "node:child_process";
import { constants } from "node:os";

// src/process-tree.ts
var import_pidusage = __toESM(require_pidusage(), 1);
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { promisify } from "node:util";
function sampleProcessTree(rootPid, intervalMs) {
  let peak = null;
  const lastSeen = /* @__PURE__ */ new Map();
  const lastSeenAt = /* @__PURE__ */ new Map();
  const started = performance.now();
  let pending = Promise.resolve();
  const sample = async () => {
    const pids = await descendantsOf(rootPid);
    const usage = await (0, import_pidusage.default)(pids);
    let total = 0;
    for (const pid of pids) {
      const memory = usage[pid]?.memory;
      if (memory === void 0 || memory === 0) continue;
      lastSeen.set(pid, memory);
      lastSeenAt.set(pid, (performance.now() - started) / 1e3);
      total += memory;
    }
    peak = Math.max(peak ?? 0, total);
  };
  const tick = () => {
    pending = pending.then(sample).catch(() => void 0);
  };
  tick();
  const timer = setInterval(tick, process.platform === "win32" ? Math.max(intervalMs, 2e3) : intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      import_pidusage.default.clear();
      return { peak, lastSeen, lastSeenAt };
    }
  };
}
async function descendantsOf(rootPid) {
  if (LISTS_CHILDREN) return linuxDescendants(rootPid);
  const parents = await parentsByPid();
  const children = /* @__PURE__ */ new Map();
  for (const [pid, parent] of parents) children.set(parent, [...children.get(parent) ?? [], pid]);
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index += 1) {
    tree.push(...children.get(tree[index] ?? -1) ?? []);
  }
  return tree;
}
var execFileText = promisify(execFile);
async function parentsByPid() {
  if (process.platform === "linux") return linuxParents();
  const [file, args] = process.platform === "win32" ? [
    "powershell.exe",
    [
      "-NoProfile",
      "-NonInteractive",
      "-Command",
      'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.ParentProcessId)" }'
    ]
  ] : ["ps", ["-A", "-o", "pid=", "-o", "ppid="]];
  const { stdout } = await execFileText(file, args, { windowsHide: true });
  const parents = /* @__PURE__ */ new Map();
  for (const line of stdout.split("\n")) {
    const [pid, parent] = line.trim().split(/\s+/).map(Number);
    if (pid !== void 0 && parent !== void 0 && Number.isInteger(pid) && Number.isInteger(parent)) {
      parents.set(pid, parent);
    }
  }
  return parents;
}
var LISTS_CHILDREN = process.platform === "linux" && existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
async function linuxDescendants(rootPid) {
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index += 1) {
    const pid = tree[index];
    const threads = await readdir(`/proc/${pid}/task`).catch(() => []);
    for (const thread of threads) {
      const children = await readFile(`/proc/${pid}/task/${thread}/children`, "latin1").catch(() => "");
      for (const child of children.split(" ")) if (child !== "") tree.push(Number(child));
    }
  }
  return tree;
}
async function linuxParents() {
  const pids = (await readdir("/proc")).filter((name2) => /^\d+$/.test(name2));
  const parents = /* @__PURE__ */ new Map();
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, "utf8");
        const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        parents.set(Number(pid), parent);
      } catch {
      }
    })
  );
  return parents;
}

// src/command.ts
var TIMED_OUT = 124;
var CANCELLING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
async function runInShell(command, options) {
  const child = startShell(command, options);
  const forward = (signal) => {
    if (signal === "SIGINT" && process.stdin.isTTY) return;
    if (child.pid === void 0) return;
    descendantsOf(child.pid).then((pids) => {
      for (const pid of pids.reverse()) signalProcess(pid, signal);
    }).catch(() => child.kill(signal));
  };
  for (const signal of CANCELLING_SIGNALS) process.on(signal, forward);
  let timedOut = false;
  const timer = options.timeoutMs === void 0 ? void 0 : setTimeout(() => {
    timedOut = true;
    forward("SIGKILL");
  }, options.timeoutMs);
  let graceTimer;
  const stopAfterGrace = () => {
    graceTimer = setTimeout(() => {
      forward("SIGKILL");
    }, options.graceMs ?? 0);
  };
  if (options.cancel?.aborted) stopAfterGrace();
  else options.cancel?.addEventListener("abort", stopAfterGrace, { once: true });
  try {
    return await new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("spawn", () => {
        if (child.pid !== void 0) options.onStart(child.pid);
      });
      child.once("close", (code, signal) => {
        resolve(timedOut ? TIMED_OUT : code ?? 128 + (signal ? constants.signals[signal] : 0));
      });
    });
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
    options.cancel?.removeEventListener("abort", stopAfterGrace);
    for (const signal of CANCELLING_SIGNALS) process.off(signal, forward);
  }
}
function cancelOnSignals(onRepeat) {
  const controller = new AbortController();
  const cancel = (signal) => {
    if (controller.signal.aborted) onRepeat?.(signal);
    else controller.abort(signal);
  };
  for (const signal of CANCELLING_SIGNALS) process.on(signal, cancel);
  return controller.signal;
}
function signalProcess(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
  }
}
function startShell(command, options) {
  const spawnOptions = { cwd: options.cwd, env: options.env, stdio: options.output ?? "inherit" };
  if (process.platform === "win32") return spawn(command, { ...spawnOptions, shell: true });
  return spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", command], spawnOptions);
}

// src/untrusted-json.ts
var FORBIDDEN_KEYS = /* @__PURE__ */ new Set(["__proto__", "constructor", "prototype"]);
var ForbiddenKeyError = class extends Error {
  constructor(key) {
    super(`a key named ${key}`);
    this.key = key;
  }
  key;
};
function parseUntrustedJson(text) {
  return JSON.parse(text, (key, value) => {
    if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyError(key);
    return value;
  });
}

// src/compare.ts
var Comparer = class {
  constructor(base, source, threshold) {
    this.base = base;
    this.source = source;
    this.threshold = threshold;
    for (const test of base.tests) {
      this.byKey.set(testKey(test), test);
      this.byId.set(test.id, this.byId.has(test.id) ? null : test);
    }
  }
  base;
  source;
  threshold;
  byKey = /* @__PURE__ */ new Map();
  /** Null where the base ran the id in several shards: it is then found by its shard only. */
  byId = /* @__PURE__ */ new Map();
  matched = /* @__PURE__ */ new Set();
  lists = { new: [], fixed: [], regressed: [], added: [] };
  baseKept = {};
  /** Compares one test of this run with the base's; says how it changed, if it did. */
  add(test) {
    const key = testKey(test);
    const before = this.byKey.get(key) ?? this.byId.get(test.id) ?? void 0;
    if (before === void 0) this.lists.added.push(key);
    else this.matched.add(before);
    const change = changeOf(test, before, this.threshold);
    if (change !== void 0) {
      this.lists[change].push(key);
      if (before !== void 0) this.baseKept[key] = keptSize(before);
    }
    return change;
  }
  finish(currentPeak) {
    return {
      base: this.source,
      ...this.lists,
      removed: this.base.tests.filter((test) => !this.matched.has(test)).map(testKey),
      peak: { base: this.base.peak, current: currentPeak },
      baseKept: this.baseKept
    };
  }
};
function changeOf(test, before, threshold) {
  if (test.leaked) return before?.leaked === true ? regression(test, before, threshold) : "new";
  if (before?.leaked === true) return "fixed";
  return regression(test, before, threshold);
}
function regression(test, before, threshold) {
  if (threshold === null || before === void 0) return void 0;
  const grown = keptSize(test) - keptSize(before);
  const ratioPart = threshold.ratio === null || grown > threshold.ratio * Math.max(0, keptSize(before));
  const bytesPart = threshold.bytes === null || grown > threshold.bytes;
  return grown > 0 && ratioPart && bytesPart ? "regressed" : void 0;
}
function compareReports(current, base, source, threshold) {
  const comparer = new Comparer(base, source, threshold);
  for (const test of current.tests) comparer.add(test);
  return comparer.finish(current.peak);
}
var BASE_LIMITS = { tests: 1e6, idLength: 65536, bytes: 1e15, version: 50 };
function parseBaseReport(text, what) {
  const damaged = `${what} is damaged: it is not as leakwatch writes its reports.`;
  let parsed;
  try {
    parsed = parseUntrustedJson(text);
  } catch (error) {
    return error instanceof ForbiddenKeyError ? damaged : `${what} is not JSON: it may be damaged.`;
  }
  if (!isRecord(parsed) || !isRecord(parsed.tool) || parsed.tool.name !== "leakwatch") {
    return `${what} is not a leakwatch report.`;
  }
  const { version, tool, tests, peak } = parsed;
  if (version !== REPORT_VERSION) {
    const shownVersion = Number.isSafeInteger(version) ? String(version) : "unknown";
    const toolVersion2 = typeof tool.version === "string" ? tool.version : "";
    const shownTool = toolVersion2.length <= BASE_LIMITS.version && /^[\w.+-]+$/.test(toolVersion2) ? toolVersion2 : "unknown";
    return `${what} has report version ${shownVersion} (leakwatch ${shownTool}); this leakwatch reads version ${REPORT_VERSION}. The next run on the base branch will leave one it can read.`;
  }
  if (!(peak === null || isSize(peak)) || !Array.isArray(tests) || tests.length > BASE_LIMITS.tests) return damaged;
  const kept = [];
  for (const test of tests) {
    const whole = readBaseTest(test);
    if (whole === void 0) return `${what} is damaged: its tests are not as leakwatch writes them.`;
    kept.push(whole);
  }
  return { peak, tests: kept };
}
function readBaseTest(test) {
  if (!isRecord(test)) return void 0;
  const { id, shard, leaked, delta, confirmation } = test;
  if (typeof id !== "string" || id.length > BASE_LIMITS.idLength) return void 0;
  if (!(shard === void 0 || typeof shard === "string" && shard.length <= BASE_LIMITS.idLength)) return void 0;
  if (typeof leaked !== "boolean" || !isSignedSize(delta)) return void 0;
  const inShard = shard === void 0 ? {} : { shard };
  if (confirmation === null || confirmation === void 0) return { id, ...inShard, leaked, delta, confirmation: null };
  if (!isRecord(confirmation)) return void 0;
  const { perRun } = confirmation;
  if (!(perRun === null || isSignedSize(perRun))) return void 0;
  return { id, ...inShard, leaked, delta, confirmation: { perRun } };
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function isSignedSize(value) {
  return typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= BASE_LIMITS.bytes;
}
function isSize(value) {
  return isSignedSize(value) && value >= 0;
}
function failingLeaks(report, failOn) {
  const leaks = report.tests.filter((test) => test.leaked).map(testKey);
  if (failOn === "any") return leaks;
  if (failOn === "never") return [];
  const newLeaks = new Set(report.comparison?.new ?? []);
  return leaks.filter((key) => newLeaks.has(key));
}

// src/baseline.ts
import { constants as constants2 } from "node:fs";
import { open, realpath } from "node:fs/promises";
import path from "node:path";
async function compareWithBase(report, settings, findBase) {
  const found = await findBase().catch(
    (error) => `leakwatch could not get the base's report: ${error instanceof Error ? error.message : String(error)}`
  );
  if (found === void 0) return report;
  if (typeof found === "string") return { ...report, baselineProblem: found };
  return { ...report, comparison: compareReports(report, found.report, found.source, settings.regression) };
}
var MAX_BASE_REPORT_BYTES = 25e7;
async function readBaseFile(file, directory, { insideDirectory = false } = {}) {
  const relative = path.relative(directory, file);
  const shown = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
  const read = await readRegularFile(file, insideDirectory ? directory : void 0);
  if (read.problem !== void 0) return `the baseline file ${shown} ${read.problem}`;
  const report = parseBaseReport(read.text, `the baseline file ${shown}`);
  return typeof report === "string" ? report : { report, source: { commit: null, runId: null, file: shown } };
}
async function readRegularFile(file, within) {
  let handle;
  try {
    if (within !== void 0 && !isInside(await realpath(within), await realpath(file))) {
      return { problem: "is a link to a file outside the workspace: give a report file inside the workspace." };
    }
    handle = await open(file, constants2.O_RDONLY | (process.platform === "win32" ? 0 : constants2.O_NONBLOCK));
    const stats = await handle.stat();
    if (!stats.isFile()) return { problem: "is not a regular file: give a JSON report file." };
    if (stats.size > MAX_BASE_REPORT_BYTES) {
      return {
        problem: `is ${formatSize(stats.size)}, more than the ${formatSize(MAX_BASE_REPORT_BYTES)} leakwatch reads.`
      };
    }
    const buffer = Buffer.allocUnsafe(stats.size);
    const { bytesRead } = await handle.read(buffer, 0, stats.size, 0);
    return { text: buffer.toString("utf8", 0, bytesRead) };
  } catch (error) {
    const code = error.code;
    return { problem: code === "ENOENT" ? "does not exist." : "cannot be read." };
  } finally {
    await handle?.close();
  }
}
function isInside(directory, file) {
  const relative = path.relative(directory, file);
  return relative !== "" && !relative.startsWith(`..${path.sep}`) && relative !== ".." && !path.isAbsolute(relative);
}

// src/shards.ts
var SHARD_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
function shardLabel(given, matrix, job) {
  if (given !== "") return given;
  const values = matrix === null ? [] : Object.values(matrix).map(matrixValueText);
  const label = cutToLabel(values.length > 0 ? values.map(cutToLabel).join("-") : job) || "shard";
  return label === "report" ? "report-shard" : label;
}
function matrixValueText(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}
function cutToLabel(text) {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._-]+/, "").slice(0, 100);
}
function parseContext(json) {
  try {
    const value = JSON.parse(json);
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0 ? value : null;
  } catch {
    return null;
  }
}
function missingShards(reported, refused, expected, jobs) {
  const labels = new Set([...reported, ...refused].map((shard) => shard.label));
  const byLabel = new Map((jobs ?? []).flatMap((job) => matrixJobLabel(job)).map(([label, job]) => [label, job]));
  const why = (label) => jobWhy(byLabel.get(label));
  const absent = (names) => names.filter((label) => !labels.has(label)).map((label) => ({ label, why: why(label) }));
  if (expected !== void 0 && "labels" in expected) return [...refused, ...absent(expected.labels)];
  if (expected !== void 0) {
    const numbered = Array.from({ length: expected.count }, (_, index) => String(index + 1));
    if ([...labels].every((label) => numbered.includes(label))) return [...refused, ...absent(numbered)];
    const why2 = `${expected.count} shards were expected, and the labels of those that reported`;
    return [...refused, ...unnamed(expected.count - labels.size, why2)];
  }
  const groups = /* @__PURE__ */ new Map();
  for (const { origin } of reported) {
    if (origin !== void 0) groups.set(origin.job, [...groups.get(origin.job) ?? [], origin]);
  }
  const matrices = [...groups.values()].map((origins) => missingOfMatrix(origins, jobs ?? []));
  const named = matrices.flatMap((matrix) => matrix.named).filter((shard) => !labels.has(shard.label));
  const left = matrices.reduce((sum, matrix) => sum + matrix.unnamed, 0) - refused.length;
  return [
    ...refused,
    ...named,
    ...unnamed(left, "the matrix of the shards that reported has more jobs than reported, and the run's job names")
  ];
}
function unnamed(count, why) {
  return Array.from({ length: Math.max(0, count) }, (_, index) => ({
    label: `unnamed ${index + 1}`,
    why: `${why} do not tell which are missing`
  }));
}
function missingOfMatrix(origins, jobs) {
  const [first] = origins;
  const total = first?.jobTotal ?? null;
  const places = new Set(origins.map((origin) => origin.jobIndex));
  if (first === void 0 || total === null || places.size >= total) return { named: [], unnamed: 0 };
  const named = jobs.flatMap((job) => {
    const parts = /^(.*) \((.*)\)$/.exec(job.name);
    return parts === null ? [] : [{ job, name: parts[1] ?? "", values: parts[2] ?? "" }];
  });
  const valuesOf = (origin) => Object.values(origin.matrix ?? {}).map(matrixValueText).join(", ");
  const names = new Set(
    origins.flatMap((origin) => named.filter((entry) => entry.values === valuesOf(origin)).map((entry) => entry.name))
  );
  const reportedValues = new Set(origins.map(valuesOf));
  const others = named.filter((entry) => names.has(entry.name) && !reportedValues.has(entry.values));
  if (names.size === 1 && others.length === total - places.size) {
    const named2 = others.map(({ job, values }) => ({
      label: shardLabel("", Object.fromEntries(values.split(", ").map((value, index) => [index, value])), ""),
      why: jobWhy(job)
    }));
    return { named: named2, unnamed: 0 };
  }
  return { named: [], unnamed: total - places.size };
}
function matrixJobLabel(job) {
  const parts = /^.* \((.*)\)$/.exec(job.name);
  if (parts === null) return [];
  const values = (parts[1] ?? "").split(", ");
  return [[shardLabel("", Object.fromEntries(values.map((value, index) => [index, value])), ""), job]];
}
function jobWhy(job) {
  if (job === void 0) return "it left no report";
  if (job.status !== "completed") return `its job ${job.name} had not finished when the merge ran (is it in needs:?)`;
  switch (job.conclusion) {
    case "cancelled":
      return `its job ${job.name} was cancelled before leakwatch saved its report`;
    case "skipped":
      return `its job ${job.name} was skipped`;
    case "failure":
    case "timed_out":
      return `its job ${job.name} failed before leakwatch saved its report`;
    case "success":
    case "neutral":
    case "action_required":
    case "stale":
    case null:
    default:
      return `its job ${job.name} left no report`;
  }
}

// src/settings.ts
import path2 from "node:path";
import { parseArgs } from "node:util";
var RUNNERS = ["auto", "pytest", "jest", "vitest", "mocha", "node-test"];
var INPUTS = {
  command: "command",
  workingDirectory: "working-directory",
  runner: "runner",
  limit: "limit",
  confirm: "confirm",
  trace: "trace",
  failOnLeak: "fail-on-leak",
  comment: "comment",
  reportName: "report-name",
  githubToken: "github-token",
  ignore: "ignore",
  baseline: "baseline",
  regression: "regression",
  retentionDays: "retention-days",
  onNothingMeasured: "on-nothing-measured",
  publish: "publish",
  shard: "shard",
  merge: "merge",
  runId: "run-id",
  shards: "shards",
  matrix: "matrix",
  strategy: "strategy"
};
var DEFAULTS = {
  workingDirectory: ".",
  runner: "auto",
  limit: "10MB",
  confirm: "3",
  trace: "auto",
  failOnLeak: "true",
  comment: "true",
  reportName: "leakwatch",
  baseline: "auto",
  regression: "20% 2MB",
  onNothingMeasured: "fail",
  publish: "here",
  merge: "false"
};
var InputError = class extends Error {
  name = "InputError";
};
function readActionSettings(readInput, isDirectory, baseDirectory, job = "") {
  const input = (name2, fallback = "") => readInput(name2).trim() || fallback;
  const publishing = {
    failOnLeak: parseFailOnLeak(input(INPUTS.failOnLeak, DEFAULTS.failOnLeak), name(INPUTS.failOnLeak)),
    comment: parseBoolean(input(INPUTS.comment, DEFAULTS.comment), name(INPUTS.comment)),
    reportName: parseReportName(input(INPUTS.reportName, DEFAULTS.reportName), name(INPUTS.reportName)),
    githubToken: readInput(INPUTS.githubToken).trim(),
    baseline: parseBaseline(input(INPUTS.baseline, DEFAULTS.baseline), baseDirectory, name(INPUTS.baseline)),
    regression: parseRegression(input(INPUTS.regression, DEFAULTS.regression), name(INPUTS.regression)),
    retentionDays: parseRetentionDays(input(INPUTS.retentionDays), name(INPUTS.retentionDays)),
    onNothingMeasured: parseOnNothingMeasured(
      input(INPUTS.onNothingMeasured, DEFAULTS.onNothingMeasured),
      name(INPUTS.onNothingMeasured)
    )
  };
  const command = readInput(INPUTS.command).trim();
  const publish = parsePublish(input(INPUTS.publish, DEFAULTS.publish), name(INPUTS.publish));
  if (parseBoolean(input(INPUTS.merge, DEFAULTS.merge), name(INPUTS.merge))) {
    if (command !== "") {
      throw new InputError(
        `${name(INPUTS.command)} is given with 'merge: true'. A merge step runs no command: it merges the reports that the shards' steps (with 'publish: merge-later') saved. Give the command to those steps, or drop 'merge'.`
      );
    }
    if (publish !== "here") {
      throw new InputError(
        `${name(INPUTS.publish)} is '${publish}' with 'merge: true'. A merge step publishes what it merged: leave 'publish' out of it, and give 'publish: merge-later' to the shards' steps.`
      );
    }
    return {
      mode: "merge",
      ...publishing,
      runId: parseRunId(input(INPUTS.runId), name(INPUTS.runId)),
      shards: parseShards(input(INPUTS.shards), name(INPUTS.shards)),
      unused: unusedByMerge(input)
    };
  }
  if (!command) {
    throw new InputError(
      `${name(INPUTS.command)} is empty. Give the command that runs your tests, e.g. 'pytest tests/', or 'merge: true' to merge the reports of a matrix's shards.`
    );
  }
  const directoryInput = input(INPUTS.workingDirectory, DEFAULTS.workingDirectory);
  const workingDirectory = insideWorkspace(
    directoryInput,
    baseDirectory,
    name(INPUTS.workingDirectory),
    "'.' or 'backend'"
  );
  if (!isDirectory(workingDirectory)) {
    throw new InputError(
      `${name(INPUTS.workingDirectory)} is '${directoryInput}', which is not a directory (looked for ${workingDirectory}). Give a directory relative to the workspace, e.g. '.' or 'backend'.`
    );
  }
  return {
    mode: "measure",
    ...publishing,
    command,
    workingDirectory,
    runner: parseRunner(input(INPUTS.runner, DEFAULTS.runner), name(INPUTS.runner)),
    limit: parseLimit(input(INPUTS.limit, DEFAULTS.limit), name(INPUTS.limit)),
    confirmRuns: parseConfirm(input(INPUTS.confirm, DEFAULTS.confirm), name(INPUTS.confirm)),
    trace: parseTrace(input(INPUTS.trace, DEFAULTS.trace), name(INPUTS.trace)),
    ignore: parseIgnore(readInput(INPUTS.ignore)),
    publish,
    shard: parseShardPlace(input, publish, job)
  };
}
function name(input) {
  return `Input '${input}'`;
}
function parsePublish(value, name2) {
  if (/^here$/i.test(value)) return "here";
  if (/^merge-later$/i.test(value)) return "merge-later";
  throw new InputError(
    `${name2} is '${value}'. Use 'here' (this job comments, summarizes and fails on leaks, the default) or 'merge-later' (a shard of a matrix: its report is saved for a step with 'merge: true' to publish once).`
  );
}
function parseShardPlace(input, publish, job) {
  const given = input(INPUTS.shard);
  if (given !== "" && publish !== "merge-later") {
    throw new InputError(
      `${name(INPUTS.shard)} is given without 'publish: merge-later'. A shard's label names the report it saves for a merge step: add 'publish: merge-later', or drop 'shard'.`
    );
  }
  if (given !== "" && (!SHARD_LABEL.test(given) || given === "report")) {
    throw new InputError(
      `${name(INPUTS.shard)} is '${given.length > 120 ? `${given.slice(0, 117)}...` : given}'. Use up to 100 letters, digits, '.', '_' and '-', starting with a letter or digit, and not 'report': it names the shard's artifact, \`<report-name>-<shard>\`.`
    );
  }
  const matrix = parseContext(input(INPUTS.matrix));
  const strategy = parseContext(input(INPUTS.strategy));
  const count = (value) => Number.isSafeInteger(value) ? value : null;
  return {
    label: shardLabel(given, matrix, job),
    matrix,
    jobIndex: count(strategy?.["job-index"]),
    jobTotal: count(strategy?.["job-total"])
  };
}
function parseRunId(value, name2) {
  if (value === "") return void 0;
  const id = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new InputError(
      `${name2} is '${value}'. Use a workflow run's id (a number, such as \${{ github.event.workflow_run.id }}), or leave it out: this run, or under workflow_run the run that triggered it.`
    );
  }
  return id;
}
var MAX_SHARDS = 1e3;
function parseShards(value, name2) {
  if (value === "") return void 0;
  if (/^\d+$/.test(value)) {
    const count = Number(value);
    if (count >= 1 && count <= MAX_SHARDS) return { count };
  } else {
    const labels = value.split(/[\n,]/).map((label) => label.trim()).filter(Boolean);
    if (labels.every((label) => SHARD_LABEL.test(label)) && new Set(labels).size === labels.length) return { labels };
  }
  throw new InputError(
    `${name2} is '${value.length > 120 ? `${value.slice(0, 117)}...` : value}'. Use the number of shards expected (1 to ${MAX_SHARDS}), or their labels, each once, one per line or separated by commas (such as '1, 2, 3' or 'ubuntu-latest, windows-latest'), or leave it out to count them from the shards' matrix and the run's jobs.`
  );
}
function unusedByMerge(input) {
  const measuring = [
    [INPUTS.workingDirectory, DEFAULTS.workingDirectory],
    [INPUTS.runner, DEFAULTS.runner],
    [INPUTS.limit, DEFAULTS.limit],
    [INPUTS.confirm, DEFAULTS.confirm],
    [INPUTS.trace, DEFAULTS.trace],
    [INPUTS.ignore, ""],
    [INPUTS.shard, ""]
  ];
  return measuring.filter(([input_, fallback]) => input(input_, fallback) !== fallback).map(
    ([input_]) => `${name(input_)} has no effect with 'merge: true': each shard's report stands as its own step measured and judged it. Give it to the shards' steps.`
  );
}
var MAX_CONFIRM_RUNS = 10;
var CONFIRM_FORMS = `0 (off) or 2 to ${MAX_CONFIRM_RUNS}`;
var CLI_USAGE = `Usage: leakwatch [options] [--] <command...>

Runs your test command with leakwatch measuring how much memory each test keeps,
then lists the tests that keep more than the limit.

Options:
  --limit SIZE      memory a test may keep, at least 100KB (default ${DEFAULTS.limit}):
                    512KB, 10MB, 1.5GiB or bytes; KB, MB, GB are powers
                    of 1000, KiB, MiB, GiB of 1024
  --runner NAME     ${RUNNERS.join(", ")}
                    (default ${DEFAULTS.runner})
  --confirm N       run each test over the limit N times alone, in a new
                    start, to tell a leak from a warm-up: ${CONFIRM_FORMS}
                    (default ${DEFAULTS.confirm})
  --trace W         auto (the default): runs alone trace allocations, to tell
                    where a leak's memory was allocated; off: they do not
  --ignore GLOB     test ids never reported as leaks; '*' matches anything
                    (repeatable)
  --baseline FILE   compare with an earlier JSON report: new, fixed and
                    regressed tests
  --regression T    how much more a test may keep than in the baseline: a
                    percentage, a size, or both, e.g. '20% 2MB' (the
                    default), or 'off'
  --json FILE       write the JSON report to FILE
  --summary FILE    write the Markdown summary to FILE
  --fail-on-leak W  exit 1 when tests leak: true, new (only leaks the
                    baseline did not have) or false (default true; the test
                    command's failure still counts)
  --no-fail         the same as --fail-on-leak false
  --on-nothing-measured W
                    when no test could be measured: fail (exit 1, the
                    default) or warn
  -h, --help        show this help
  -v, --version     show leakwatch's version

A single argument is run as a shell command line:
  leakwatch -- 'pytest -n 2 | tee log'
Several are quoted and run as they are:
  leakwatch --limit 50MB -- pytest -k "slow and db"

To merge the reports of a matrix's shards into one: leakwatch merge --help`;
var MERGE_USAGE = `Usage: leakwatch merge [options] <report.json...>

Merges JSON reports of shards (jobs that each ran part of a suite, or the same
suite on another OS) into one report, and prints its findings. Each report is
a shard: the shard its report names (publish: merge-later), else its file's
name without .json. The same test run in two shards stays two tests.

Options:
  --baseline FILE   compare with an earlier (merged) report: new, fixed and
                    regressed tests
  --regression T    how much more a test may keep than in the baseline: a
                    percentage, a size, or both, e.g. '20% 2MB' (the
                    default), or 'off'
  --shards N|LIST   the shards expected: their number, or their labels
                    separated by commas; each one missing is named
  --json FILE       write the merged JSON report to FILE
  --summary FILE    write the Markdown summary to FILE
  --fail-on-leak W  exit 1 when tests leak: true, new (only leaks the
                    baseline did not have) or false (default true)
  --no-fail         the same as --fail-on-leak false
  --on-nothing-measured W
                    when no shard measured a test: fail (exit 1, the
                    default) or warn
  -h, --help        show this help

A shard that is missing or whose tests failed is named, and fails nothing:
the merge exits 1 on leaks (and when nothing was measured), 2 on a file that
is not a report.`;
function readMergeCliSettings(args, workingDirectory) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        ...REPORT_OPTIONS,
        shards: { type: "string" },
        help: { type: "boolean", short: "h" }
      }
    });
  } catch (error) {
    throw new InputError(`${error instanceof Error ? error.message : String(error)}

${MERGE_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length === 0) throw new InputError(`No report file given.

${MERGE_USAGE}`);
  return {
    files: positionals.map((file) => path2.resolve(workingDirectory, file)),
    shards: parseShards(values.shards ?? "", "Option --shards"),
    ...cliReportSettings(values, workingDirectory)
  };
}
var REPORT_OPTIONS = {
  baseline: { type: "string" },
  regression: { type: "string" },
  json: { type: "string" },
  summary: { type: "string" },
  "fail-on-leak": { type: "string" },
  "no-fail": { type: "boolean" },
  "on-nothing-measured": { type: "string" }
};
function cliReportSettings(values, workingDirectory) {
  const resolve = (file) => file === void 0 ? void 0 : path2.resolve(workingDirectory, file);
  const baseline = resolve(values.baseline);
  return {
    failOnLeak: values["no-fail"] ? "never" : parseFailOnLeak(values["fail-on-leak"] ?? DEFAULTS.failOnLeak, "Option --fail-on-leak"),
    baseline: baseline === void 0 ? { kind: "off" } : { kind: "file", path: baseline },
    regression: parseRegression(values.regression ?? DEFAULTS.regression, "Option --regression"),
    onNothingMeasured: parseOnNothingMeasured(
      values["on-nothing-measured"] ?? DEFAULTS.onNothingMeasured,
      "Option --on-nothing-measured"
    ),
    jsonPath: resolve(values.json),
    summaryPath: resolve(values.summary)
  };
}
function readCliSettings(args, workingDirectory) {
  const { options, command } = splitCommand(args);
  let parsed;
  try {
    parsed = parseArgs({
      args: options,
      strict: true,
      allowPositionals: false,
      options: {
        limit: { type: "string" },
        runner: { type: "string" },
        confirm: { type: "string" },
        trace: { type: "string" },
        ignore: { type: "string", multiple: true },
        ...REPORT_OPTIONS,
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" }
      }
    }).values;
  } catch (error) {
    throw new InputError(`${error instanceof Error ? error.message : String(error)}

${CLI_USAGE}`);
  }
  if (parsed.help) return "help";
  if (parsed.version) return "version";
  if (command.length === 0) throw new InputError(`No test command given.

${CLI_USAGE}`);
  return {
    command: command.length === 1 ? command[0] ?? "" : command.map(quoteForShell).join(" "),
    workingDirectory,
    runner: parseRunner(parsed.runner ?? DEFAULTS.runner, "Option --runner"),
    limit: parseLimit(parsed.limit ?? DEFAULTS.limit, "Option --limit"),
    confirmRuns: parseConfirm(parsed.confirm ?? DEFAULTS.confirm, "Option --confirm"),
    trace: parseTrace(parsed.trace ?? DEFAULTS.trace, "Option --trace"),
    ignore: (parsed.ignore ?? []).flatMap(parseIgnore),
    ...cliReportSettings(parsed, workingDirectory)
  };
}
function splitCommand(args) {
  const optionsWithValue = /* @__PURE__ */ new Set([
    "--limit",
    "--runner",
    "--confirm",
    "--trace",
    "--ignore",
    "--baseline",
    "--regression",
    "--json",
    "--summary",
    "--fail-on-leak",
    "--on-nothing-measured"
  ]);
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (arg === "--") return { options: args.slice(0, index), command: args.slice(index + 1) };
    if (!arg.startsWith("-")) return { options: args.slice(0, index), command: args.slice(index) };
    if (optionsWithValue.has(arg)) index += 1;
  }
  return { options: [...args], command: [] };
}
function quoteForShell(arg) {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (process.platform === "win32") return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
function parseRunner(value, name2) {
  const runner = RUNNERS.find((known) => known === value.toLowerCase());
  if (runner === void 0) {
    throw new InputError(
      `${name2} is '${value}', which is not a runner leakwatch knows. Use one of: ${RUNNERS.join(", ")}.`
    );
  }
  return runner;
}
var SMALLEST_LIMIT = 1e5;
function parseLimit(value, name2) {
  const bytes = parseSize(value);
  if (bytes === void 0) {
    const suggestion = sizeSuggestion(value);
    throw new InputError(
      suggestion === void 0 ? `${name2} is '${value}', which is not a size. Use ${SIZE_FORMS}.` : `${name2} is '${value}': did you mean ${suggestion}? Sizes take KB, MB, GB (powers of 1000) or KiB, MiB, GiB (1024).`
    );
  }
  if (bytes < SMALLEST_LIMIT) {
    throw new InputError(
      `${name2} is '${value}', below the smallest limit leakwatch measures soundly. Use 100KB or more (smaller figures are within what the readings themselves move from test to test).`
    );
  }
  return bytes;
}
function parseConfirm(value, name2) {
  const runs = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (runs !== 0 && !(runs >= 2 && runs <= MAX_CONFIRM_RUNS)) {
    throw new InputError(
      `${name2} is '${value}'. Use ${CONFIRM_FORMS}: the times each test over the limit runs again alone (the first run may warm up, so one run cannot tell).`
    );
  }
  return runs;
}
function parseTrace(value, name2) {
  if (/^auto$/i.test(value)) return "auto";
  if (/^off$/i.test(value)) return "off";
  throw new InputError(
    `${name2} is '${value}'. Use 'auto' (runs alone trace allocations, to tell where a leak's memory was allocated) or 'off'.`
  );
}
function parseBoolean(value, name2) {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(`${name2} is '${value}'. Use true or false.`);
}
function parseFailOnLeak(value, name2) {
  if (/^true$/i.test(value)) return "any";
  if (/^false$/i.test(value)) return "never";
  if (/^new$/i.test(value)) return "new";
  throw new InputError(
    `${name2} is '${value}'. Use true (any leak fails), new (only leaks the pull request's base did not have) or false.`
  );
}
function parseBaseline(value, baseDirectory, name2) {
  if (/^auto$/i.test(value)) return { kind: "auto" };
  if (/^off$/i.test(value)) return { kind: "off" };
  return { kind: "file", path: insideWorkspace(value, baseDirectory, name2, "'auto', 'off' or 'reports/main.json'") };
}
function insideWorkspace(value, workspace, name2, examples) {
  const resolved = path2.resolve(workspace, value);
  const relative = path2.relative(workspace, resolved);
  if (relative === ".." || relative.startsWith(`..${path2.sep}`) || path2.isAbsolute(relative)) {
    throw new InputError(
      `${name2} is '${value}', which is outside the workspace (${workspace}). Give a path inside the workspace, relative to it, e.g. ${examples}.`
    );
  }
  return resolved;
}
function parseRegression(value, name2) {
  if (/^off$/i.test(value)) return null;
  const parts = value.split(/[\s,]+/).filter(Boolean);
  const percents = parts.filter((part) => /^\d{1,6}(\.\d+)?%$/.test(part));
  const sizes = parts.filter((part) => !percents.includes(part)).map(parseSize);
  if (parts.length === 0 || percents.length > 1 || sizes.length > 1 || sizes.includes(void 0)) {
    const suggestions = parts.map(sizeSuggestion).filter((suggestion) => suggestion !== void 0);
    if (suggestions.length > 0) {
      throw new InputError(
        `${name2} is '${value}': did you mean ${suggestions.join(", ")}? Sizes take KB, MB, GB (powers of 1000) or KiB, MiB, GiB (1024).`
      );
    }
    throw new InputError(
      `${name2} is '${value}'. Use a percentage, a size (${SIZE_FORMS}) or both, e.g. '20% 2MB': a test regressed when it keeps more than in the base by more than each. Or 'off'.`
    );
  }
  return { ratio: percents[0] === void 0 ? null : parseFloat(percents[0]) / 100, bytes: sizes[0] ?? null };
}
var MAX_RETENTION_DAYS = 90;
function parseRetentionDays(value, name2) {
  if (value === "") return void 0;
  const days = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(days >= 1 && days <= MAX_RETENTION_DAYS)) {
    throw new InputError(
      `${name2} is '${value}'. Use a number of days from 1 to ${MAX_RETENTION_DAYS}, or leave it empty for the repository's default.`
    );
  }
  return days;
}
function parseOnNothingMeasured(value, name2) {
  if (/^fail$/i.test(value)) return "fail";
  if (/^warn$/i.test(value)) return "warn";
  throw new InputError(
    `${name2} is '${value}'. Use fail (a run that measured no test fails, the default) or warn (it passes with a warning).`
  );
}
function parseIgnore(value) {
  return value.split(/[\n,]/).map((pattern) => pattern.trim()).filter(Boolean);
}
var MAX_REPORT_NAME = 100;
function parseReportName(value, name2) {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(value) || value.length > MAX_REPORT_NAME) {
    throw new InputError(
      `${name2} is '${value.length > 120 ? `${value.slice(0, 117)}...` : value}'. Use up to ${MAX_REPORT_NAME} letters, digits, '.', '_' and '-', starting with a letter or digit: it names the report file, its artifact and its comment.`
    );
  }
  return value;
}

// src/measure.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { mkdtemp, readFile as readFile3, rm } from "node:fs/promises";
import os, { constants as constants3 } from "node:os";
import path7 from "node:path";
import { fileURLToPath } from "node:url";

// src/analyze.ts
import path3 from "node:path";

// src/glob.ts
function compileGlobs(patterns) {
  if (patterns.length === 0) return () => false;
  const sources = patterns.map(
    (pattern) => pattern.split("").map((char) => char === "*" ? ".*" : char === "?" ? "." : char.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")).join("").replace(/(?:\.\*)+/g, ".*")
  );
  const matcher = new RegExp(`^(?:${sources.join("|")})$`, "su");
  return (testId2) => matcher.test(testId2);
}

// src/analyze.ts
function analyze(input) {
  const isIgnored = compileGlobs(input.ignore);
  const tests = [];
  const incomplete = [];
  const unmeasured = [];
  for (const run of input.runs) {
    const worker = run.header.worker ?? "main";
    const measures = run.header.measures ?? "rss";
    const file = (runnerFile) => relativeFile(input.baseDirectory, run.header.rootdir, runnerFile);
    const idOf = (record) => testId(record, run, input.workingDirectory);
    for (const [order, record] of run.tests.entries()) {
      const id = idOf(record);
      if (record.overlapped === true) {
        unmeasured.push({ id, file: file(record.file), line: record.line, worker, outcome: record.outcome });
        continue;
      }
      const ignored = isIgnored(id);
      const overLimit = record.delta > input.limit;
      const verdict2 = !overLimit ? "ok" : ignored ? "ignored" : "leak";
      tests.push({
        id,
        titles: record.titles ?? null,
        file: file(record.file),
        line: record.line,
        worker,
        order,
        measures,
        before: record.before,
        after: record.after,
        delta: record.delta,
        heapDelta: record.heapDelta ?? null,
        externalDelta: record.externalDelta ?? null,
        rssDelta: measures === "rss" ? record.delta : record.rssDelta ?? null,
        peak: record.peak,
        allocatedBlocks: record.allocatedBlocks,
        duration: record.duration,
        outcome: record.outcome,
        verdict: verdict2,
        leaked: verdict2 === "leak",
        ignored,
        disturbed: record.disturbed === true,
        unsettled: record.unsettled === true,
        confirmation: null,
        sites: [],
        unattributed: null
      });
    }
    const died = run.unfinished.at(-1);
    if (died?.type === "start" && !incomplete.some((test) => test.id === idOf(died))) {
      const pid = run.header.pid;
      incomplete.push({
        id: idOf(died),
        file: file(died.file),
        line: died.line,
        worker,
        pid,
        before: died.rss ?? died.before,
        lastSeen: Math.max(died.rss ?? died.before, input.tree.lastSeen.get(pid) ?? 0),
        lastSeenAt: input.tree.lastSeenAt?.get(pid) ?? null
      });
    }
  }
  tests.sort((a, b) => compareText(a.id, b.id));
  const coverage = coverageOf(input.runs, tests.length, unmeasured.length, incomplete.length);
  if (input.runs.length === 0) coverage.reasons.push(NOT_LOADED[input.runner]);
  else if (tests.length === 0 && coverage.reasons.length === 0) {
    coverage.reasons.push(`${input.runs[0]?.header.runner ?? "the runner"} loaded leakwatch but ran no test`);
  }
  const testPeaks = tests.map((test) => test.peak ?? 0);
  const highWaterMarks = input.runs.map((run) => run.maxRss ?? 0);
  const peak = Math.max(input.tree.peak ?? 0, ...testPeaks, ...highWaterMarks);
  return {
    version: REPORT_VERSION,
    tool: { name: "leakwatch", version: input.toolVersion },
    command: input.command,
    runner: [...new Set(input.runs.map((run) => run.header.runner))].join(", ") || input.runner,
    limit: input.limit,
    confirmRuns: input.confirmRuns,
    exitCode: input.exitCode,
    peak: peak > 0 ? peak : null,
    tests,
    incomplete,
    unmeasured,
    warnings: warnings(input, tests.length, coverage),
    coverage,
    cancelled: false,
    comparison: null,
    baselineProblem: null
  };
}
function coverageOf(runs, measured, concurrent, died) {
  const collecting = runs.filter((run) => run.collected !== null);
  const allSaidWhatRan = collecting.length > 0 && collecting.every((run) => run.ended && run.ran !== null);
  let session = allSaidWhatRan ? collecting.reduce((sum, run) => sum + (run.ran ?? 0), 0) : 0;
  const byFile = /* @__PURE__ */ new Map();
  for (const run of runs) {
    if (!allSaidWhatRan) session = Math.max(session, run.collected ?? 0);
    for (const [file, count] of run.collectedByFile) {
      const key = path3.resolve(run.header.rootdir, file);
      byFile.set(key, Math.max(byFile.get(key) ?? 0, count));
    }
  }
  const told = runs.some((run) => run.collected !== null || run.collectedByFile.size > 0);
  const collected = told ? session + [...byFile.values()].reduce((sum, count) => sum + count, 0) : null;
  const reasons = /* @__PURE__ */ new Set();
  let counted = concurrent;
  const notRun = runs.reduce((sum, run) => sum + run.notRun, 0);
  if (concurrent > 0) reasons.add("they ran at the same time as other tests (concurrent tests)");
  if (died > 0) reasons.add("their process died while they ran");
  counted += died;
  for (const run of runs) {
    for (const { reason, count } of run.unmeasured) {
      counted += count;
      reasons.add(reason);
    }
    if (run.header.unsupported !== void 0) reasons.add(run.header.unsupported);
    else if (run.header.error !== void 0)
      reasons.add(`a ${run.header.runner} process could not measure: ${run.header.error}`);
    else if (run.error !== void 0) reasons.add(`measuring stopped in a ${run.header.runner} process: ${run.error}`);
  }
  const missing = collected === null ? 0 : Math.max(0, collected - notRun - measured - counted);
  if (missing > 0 && reasons.size === 0) {
    reasons.add(
      "no record of them reached leakwatch: their process stopped writing records (a full disk, a test that closed leakwatch's file, a process that died) or never ran them"
    );
  }
  const unmeasured = counted + missing;
  const unsupported = [...new Set(runs.flatMap((run) => run.header.unsupported ?? []))];
  return { collected, measured, unmeasured, reasons: [...reasons], unsupported };
}
function testId(record, run, workingDirectory) {
  return record.titles === void 0 ? record.id : [relativeFile(workingDirectory, run.header.rootdir, record.file), ...record.titles].join(" > ");
}
function tracedRuns(runs, baseDirectory, workingDirectory) {
  const traced = /* @__PURE__ */ new Map();
  for (const run of runs) {
    const frame = ({ file, line, function: name2 }) => {
      const relative = relativeFile(baseDirectory, run.header.rootdir, file);
      return {
        file: relative.startsWith("../") ? path3.resolve(run.header.rootdir, file) : relative,
        line,
        function: name2
      };
    };
    for (const record of run.traces) {
      traced.set(testId(record, run, workingDirectory), {
        sites: (record.sites ?? []).map((site) => ({
          ...frame(site),
          size: site.size,
          count: site.count,
          stack: site.stack.map(frame)
        })),
        traced: record.traced ?? null,
        external: record.external ?? null,
        stopped: record.stopped ?? null
      });
    }
  }
  return traced;
}
function relativeFile(baseDirectory, rootdir, runnerFile) {
  const relative = path3.relative(baseDirectory, path3.resolve(rootdir, runnerFile));
  return relative.split(path3.sep).join("/");
}
function warnings(input, testCount, coverage) {
  const { runs } = input;
  const found = [];
  const rejected = input.rejectedRecords ?? [];
  if (rejected.length > 0) {
    found.push(
      `leakwatch left out ${rejected.length} record line${rejected.length === 1 ? "" : "s"} that its preloads do not write (a test may have written into its records directory): ${rejected[0] ?? ""}.`
    );
  }
  for (const unsupported of coverage.unsupported) found.push(`leakwatch cannot measure this runner: ${unsupported}`);
  if (coverage.measured > 0 && coverage.unmeasured > 0) {
    const of = coverage.collected === null ? `${testCount + coverage.unmeasured}` : `${coverage.collected}`;
    found.push(
      `leakwatch measured ${testCount} of ${of} tests; ${coverage.unmeasured} ${coverage.unmeasured === 1 ? "has" : "have"} no figure, so this is no clean pass: ${coverage.reasons.join("; ")}.`
    );
  }
  if (runs.length === 0) {
    found.push(`leakwatch measured no tests: ${NOT_LOADED[input.runner]}`);
    return found;
  }
  for (const run of runs) {
    const where = `${run.header.runner} process ${run.header.pid}${run.header.worker ? ` (${run.header.worker})` : ""}`;
    if (run.header.error !== void 0) {
      found.push(`leakwatch could not measure memory in ${where}; its tests ran unmeasured. ${run.header.error}`);
    } else if (run.error !== void 0) {
      found.push(`leakwatch stopped measuring in ${where} after ${run.tests.length} tests: ${run.error}`);
    }
  }
  if (runs.some((run) => run.header.platform === "linux" && run.header.trims === false)) {
    found.push(
      "This system's C library has no malloc_trim (it is not glibc), so figures include free memory the allocator keeps."
    );
  }
  if (runs.some((run) => run.header.sharedProcess === true && run.tests.length > 0)) {
    found.push(
      "Tests ran in worker threads, which share one process: no test has a resident memory figure of its own. Each test's figure is its thread's JavaScript heap and external memory."
    );
  }
  if (testCount === 0 && coverage.unmeasured === 0 && found.length === 0) {
    found.push(
      `leakwatch measured no tests: ${runs[0]?.header.runner ?? "the runner"} loaded its plugin but ran no test. Did the command collect any tests?`
    );
  }
  return found;
}
var RUNNER_HINT = "Set the 'runner' input (CLI: --runner) to pytest, jest, vitest, mocha or node-test.";
var NODE_HINT = "that whatever starts it passes the environment on (NODE_OPTIONS, LEAKWATCH_*), and that it runs on Node.js 20 or later.";
var NOT_LOADED = {
  auto: `leakwatch could not tell which test runner the command runs, and no runner loaded leakwatch. ${RUNNER_HINT}`,
  pytest: "no test process loaded its plugin. Check that the command runs pytest, and that whatever wraps pytest passes the environment on (tox: pass_env = PYTHONPATH, PYTEST_PLUGINS, LEAKWATCH_*). '-p no:leakwatch_pytest', and python's -I and -E flags, keep it out.",
  jest: `no Jest test file ran under leakwatch. Check that the command runs Jest with jest-circus (its default), ${NODE_HINT}`,
  vitest: `no Vitest worker loaded leakwatch. Projects defined in files of their own (a Vitest 3 workspace file, or projects: ['packages/*']) are not measured. Check that the command runs the vitest command-line tool, ${NODE_HINT}`,
  mocha: "no Mocha process loaded leakwatch. Check that the command runs Mocha 10.5 or later and that whatever starts it passes MOCHA_OPTIONS and LEAKWATCH_* on.",
  "node-test": `no node:test file ran under leakwatch. Check that the command runs node --test, ${NODE_HINT}`
};
function compareText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// src/detect-runner.ts
var import_shell_quote = __toESM(require_shell_quote(), 1);
import { readFileSync } from "node:fs";
import path4 from "node:path";
var MAX_SCRIPT_DEPTH = 10;
var PYTHON_RUNNERS = /* @__PURE__ */ new Set(["pytest", "py.test"]);
var PYTHON = /^(?:python(?:\d+(?:\.\d+)?)?|py)(?:\.exe)?$/;
var PYTHON_LAUNCHERS = /* @__PURE__ */ new Set(["uv", "poetry", "pipenv", "hatch", "pdm"]);
var ASSIGNMENT = /^[A-Za-z_]\w*=/;
var WRAPPERS = /* @__PURE__ */ new Map([
  ["env", /* @__PURE__ */ new Set(["-u", "-C"])],
  ["cross-env", /* @__PURE__ */ new Set()],
  ["dotenv", /* @__PURE__ */ new Set(["-e", "-v"])],
  ["time", /* @__PURE__ */ new Set(["-f", "-o"])],
  ["nice", /* @__PURE__ */ new Set(["-n"])],
  ["xvfb-run", /* @__PURE__ */ new Set(["-n", "-s", "-f", "-e"])],
  ["exec", /* @__PURE__ */ new Set(["-a"])]
]);
var PYTHON_OPTIONS_WITH_VALUE = /* @__PURE__ */ new Set(["-W", "-X"]);
var PYTHON_LAUNCHER_OPTIONS_WITH_VALUE = /* @__PURE__ */ new Set(["--with", "--python", "-p", "--group", "--extra", "--directory"]);
var NODE_OPTIONS_WITH_VALUE = /* @__PURE__ */ new Set(["-r", "--require", "--import", "--loader", "--experimental-loader", "-C"]);
var DIRECTORY_OPTIONS = /* @__PURE__ */ new Set(["--prefix", "-C", "--dir", "--cwd"]);
var WORKSPACE_OPTIONS = /* @__PURE__ */ new Set(["-w", "--workspace", "--workspaces", "-ws", "--filter", "-F", "-r", "--recursive"]);
var MANAGER_OPTIONS_WITH_VALUE = /* @__PURE__ */ new Set([
  ...DIRECTORY_OPTIONS,
  ...["-w", "--workspace", "--filter", "-F", "-p", "--package", "-c", "--call"]
]);
var TEST_ALIASES = /* @__PURE__ */ new Set(["test", "t", "tst"]);
var RUN_ALIASES = /* @__PURE__ */ new Set(["run", "run-script", "rum", "urn"]);
var EXEC_ALIASES = /* @__PURE__ */ new Set(["exec", "x", "dlx"]);
function detectRunner(command, directory, readScripts) {
  return detectInText(command, directory, { readScripts, following: /* @__PURE__ */ new Set() });
}
function readPackageScripts(directory) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path4.join(directory, "package.json"), "utf8"));
  } catch {
    return void 0;
  }
  if (!isObject(manifest) || !isObject(manifest.scripts)) return void 0;
  const isString = (entry) => typeof entry[1] === "string";
  return Object.fromEntries(Object.entries(manifest.scripts).filter(isString));
}
function detectInText(text, directory, context) {
  let current = directory;
  for (const words of splitCommands(text)) {
    if (words[0] === "cd") {
      if (words[1] !== void 0) current = path4.resolve(current, words[1]);
      continue;
    }
    const runner = detectInWords(words, current, context);
    if (runner !== null) return runner;
  }
  return null;
}
function detectInWords(words, directory, context) {
  const [name2, ...args] = skipWrappers(words);
  if (name2 === void 0) return null;
  const command = baseName2(name2);
  if (PYTHON.test(command)) return runsPytestModule(args) ? "pytest" : null;
  if (PYTHON_LAUNCHERS.has(command) && args[0] === "run") {
    return detectInWords(skipOptions(args.slice(1), PYTHON_LAUNCHER_OPTIONS_WITH_VALUE), directory, context);
  }
  if (command === "node") {
    if (args.includes("--test")) return "node-test";
    const [script] = skipOptions(args, NODE_OPTIONS_WITH_VALUE);
    return script === void 0 ? null : jsRunner(script);
  }
  if (command === "npx" || command === "bunx") return launch(args, { directory, acrossWorkspaces: false }, context);
  if (command === "npm" || command === "yarn" || command === "pnpm") {
    return detectWithPackageManager(command, args, directory, context);
  }
  return PYTHON_RUNNERS.has(command) ? "pytest" : jsRunner(command);
}
function jsRunner(file) {
  const name2 = baseName2(file).replace(/\.m?js$/, "").replace(/^_mocha$/, "mocha");
  return name2 === "jest" || name2 === "vitest" || name2 === "mocha" ? name2 : null;
}
function skipWrappers(words) {
  const [first, ...rest] = words;
  if (first === void 0) return words;
  if (ASSIGNMENT.test(first)) return skipWrappers(rest);
  const optionsWithValue = WRAPPERS.get(baseName2(first));
  return optionsWithValue ? skipWrappers(skipOptions(rest, optionsWithValue)) : words;
}
function runsPytestModule(args) {
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    if (word === "-m") return args[index + 1] === "pytest";
    if (!word?.startsWith("-") || word === "-c") return false;
    if (PYTHON_OPTIONS_WITH_VALUE.has(word)) index++;
  }
  return false;
}
function launch(args, invocation, context) {
  const [target, ...rest] = skipOptions(args, MANAGER_OPTIONS_WITH_VALUE, invocation);
  if (target === void 0) return null;
  return detectInWords([target.replace(/(?<=.)@.*/, ""), ...rest], invocation.directory, context);
}
function detectWithPackageManager(manager, args, directory, context) {
  const invocation = { directory, acrossWorkspaces: false };
  const [subcommand, ...rest] = skipOptions(args, MANAGER_OPTIONS_WITH_VALUE, invocation);
  if (subcommand === void 0) return null;
  if (EXEC_ALIASES.has(subcommand)) return launch(rest, invocation, context);
  const isRun = RUN_ALIASES.has(subcommand);
  const isTest = TEST_ALIASES.has(subcommand);
  if (manager === "npm" && !isRun && !isTest) return null;
  const [script, ...scriptArgs] = isRun ? skipOptions(rest, MANAGER_OPTIONS_WITH_VALUE, invocation) : [isTest ? "test" : subcommand, ...rest];
  if (manager === "npm") followTrailingOptions(scriptArgs, invocation);
  if (script === void 0 || invocation.acrossWorkspaces) return null;
  const fromScript = followScript(script, invocation.directory, context);
  if (fromScript !== void 0) return fromScript;
  if (manager === "npm" || manager === "pnpm" && isRun) return null;
  return detectInWords([script, ...scriptArgs], invocation.directory, context);
}
function followTrailingOptions(args, invocation) {
  const end = args.indexOf("--");
  let rest = end < 0 ? args : args.slice(0, end);
  while (rest.length > 0) rest = skipOptions(rest, MANAGER_OPTIONS_WITH_VALUE, invocation).slice(1);
}
function followScript(name2, directory, context) {
  const scripts = context.readScripts(directory);
  const text = scripts && Object.hasOwn(scripts, name2) ? scripts[name2] : void 0;
  if (text === void 0) return void 0;
  const key = `${directory}\0${name2}`;
  if (context.following.has(key) || context.following.size >= MAX_SCRIPT_DEPTH) return null;
  const following = /* @__PURE__ */ new Set([...context.following, key]);
  return detectInText(text, directory, { ...context, following });
}
function skipOptions(args, optionsWithValue, invocation) {
  let index = 0;
  for (let word = args[0]; word?.startsWith("-"); word = args[index]) {
    index++;
    const equals = word.indexOf("=");
    const name2 = equals < 0 ? word : word.slice(0, equals);
    let value = equals < 0 ? void 0 : word.slice(equals + 1);
    if (value === void 0 && optionsWithValue.has(name2)) value = args[index++];
    if (invocation && value !== void 0 && DIRECTORY_OPTIONS.has(name2)) {
      invocation.directory = path4.resolve(invocation.directory, value);
    }
    if (invocation && WORKSPACE_OPTIONS.has(name2)) invocation.acrossWorkspaces = true;
  }
  return args.slice(index);
}
function splitCommands(text) {
  const commands = [];
  for (const line of text.replace(/\\\n/g, "").split("\n")) {
    let words = [];
    let redirected = false;
    for (const token of (0, import_shell_quote.parse)(line, (name2) => `$${name2}`)) {
      if (typeof token === "string") {
        if (!redirected) words.push(token);
        redirected = false;
      } else if ("op" in token && REDIRECTIONS.has(token.op)) {
        redirected = true;
      } else if ("op" in token && token.op !== "glob") {
        if (words.length > 0) commands.push(words);
        words = [];
      } else if ("pattern" in token) {
        words.push(token.pattern);
      }
    }
    if (words.length > 0) commands.push(words);
  }
  return commands;
}
var REDIRECTIONS = /* @__PURE__ */ new Set([">", ">>", "<", ">&", "<&", ">|"]);
function baseName2(file) {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/inject.ts
import path5 from "node:path";
var PYTEST_PLUGIN_MODULE = "leakwatch_pytest";
function injectionEnvironment(base, options) {
  const env = {
    ...runStepEnvironment(base),
    LEAKWATCH_DIR: options.recordsDirectory,
    LEAKWATCH_LIMIT: String(options.limit),
    LEAKWATCH_CONFIRM_RUNS: String(options.confirmRuns),
    LEAKWATCH_TRACE: options.trace,
    LEAKWATCH_RUNNER: options.runner
  };
  const wanted = (runner) => options.runner === runner || options.runner === "auto";
  if (wanted("pytest")) {
    env.PYTHONPATH = appendToList(base.PYTHONPATH, options.pythonDirectory, path5.delimiter);
    env.PYTEST_PLUGINS = appendToList(base.PYTEST_PLUGINS, PYTEST_PLUGIN_MODULE, ",");
  }
  const requirePreload = `--require ${quoteForNode(options.nodePreload)}`;
  if (wanted("jest") || wanted("vitest") || wanted("node-test") || wanted("mocha")) {
    env.NODE_OPTIONS = appendOption(base.NODE_OPTIONS, requirePreload);
  }
  if (wanted("mocha")) env.MOCHA_OPTIONS = appendOption(base.MOCHA_OPTIONS, requirePreload);
  return env;
}
var ACTION_ONLY = /^(INPUT_|ACTIONS_RUNTIME_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_CACHE_|ACTIONS_RESULTS_URL$|GITHUB_STATE$)/i;
function runStepEnvironment(env) {
  return Object.fromEntries(Object.entries(env).filter(([name2]) => !ACTION_ONLY.test(name2)));
}
function appendToList(list2, entry, separator) {
  const entries = (list2 ?? "").split(separator).filter(Boolean);
  return entries.includes(entry) ? entries.join(separator) : [...entries, entry].join(separator);
}
function appendOption(options, option) {
  return options?.includes(option) ? options : [options, option].filter(Boolean).join(" ");
}
function quoteForNode(file) {
  return JSON.stringify(file.split(path5.sep).join("/"));
}

// src/preload/nesting.ts
function isWithin(inner, outer) {
  const [innerTitles, outerTitles] = [inner.titles ?? [], outer.titles ?? []];
  return inner.file === outer.file && outerTitles.length > 0 && innerTitles.length > outerTitles.length && outerTitles.every((title, index) => innerTitles[index] === title);
}

// src/locate-test.ts
var CALLS = "describe|context|suite|it|test|specify";
function findTestLine(source, titles) {
  let position = 0;
  for (const [index, title] of titles.entries()) {
    const found = findCall(source, title, position);
    if (found === void 0) {
      if (index === titles.length - 1) return null;
      continue;
    }
    position = found;
  }
  return lineAt(source, position);
}
function findCall(source, title, from) {
  const literal2 = escapeRegExp(title);
  const call = new RegExp(`\\b(?:${CALLS})(?:\\.\\w+)*\\s*\\(\\s*(['"\`])${literal2}\\1`, "g");
  call.lastIndex = from;
  return call.exec(source)?.index;
}
function lineAt(source, index) {
  let line = 1;
  for (let at = source.indexOf("\n"); at !== -1 && at < index; at = source.indexOf("\n", at + 1)) line++;
  return line;
}
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// src/records.ts
import { lstat, readFile as readFile2, readdir as readdir2 } from "node:fs/promises";
import path6 from "node:path";
function parseRecords(text, rejected = []) {
  const runs = [];
  let run;
  const lines = text.split("\n");
  let last = lines.length - 1;
  while (last > 0 && !lines[last]?.trim()) last -= 1;
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const record = parseLine(line, index === last);
    if (typeof record === "string") {
      rejected.push(record);
      continue;
    }
    if (record === void 0) continue;
    if (record.type === "process") {
      run = {
        header: record,
        tests: [],
        unfinished: [],
        traces: [],
        error: record.error,
        ended: false,
        collected: null,
        collectedByFile: /* @__PURE__ */ new Map(),
        unmeasured: [],
        notRun: 0,
        maxRss: null,
        ran: null
      };
      runs.push(run);
      continue;
    }
    if (run === void 0) continue;
    switch (record.type) {
      case "start":
        run.unfinished.push(record);
        break;
      case "test":
        if ((record.attempt ?? 0) > 0) run.tests = run.tests.filter((earlier) => !sameTest(earlier, record));
        run.tests.push(record);
        finish(run, record);
        break;
      case "trace":
        run.traces.push(record);
        break;
      case "error":
        run.error = record.error;
        run.unfinished = [];
        break;
      case "not-run":
        run.notRun += 1;
        finish(run, record);
        break;
      case "collected":
        if (record.file === void 0) run.collected = Math.max(run.collected ?? 0, record.count);
        else run.collectedByFile.set(record.file, Math.max(run.collectedByFile.get(record.file) ?? 0, record.count));
        break;
      case "unmeasured":
        run.unmeasured.push({ reason: record.reason, count: record.count ?? 1 });
        if (record.id !== void 0 && record.file !== void 0)
          finish(run, { ...record, id: record.id, file: record.file, line: record.line ?? null });
        break;
      case "end":
        run.ended = true;
        run.maxRss = record.maxRss ?? null;
        run.ran = record.ran ?? null;
        break;
    }
  }
  return runs;
}
function finish(run, record) {
  for (let index = run.unfinished.length - 1; index >= 0; index--) {
    const start = run.unfinished[index];
    if (start !== void 0 && sameTest(start, record)) {
      run.unfinished.splice(index, 1);
      return;
    }
  }
}
function sameTest(a, b) {
  return a.id === b.id && a.file === b.file;
}
var MAX_NUMBER = 2 ** 50;
var MAX_TEXT = 1e5;
function parseLine(line, last) {
  let value;
  try {
    value = parseUntrustedJson(line);
  } catch (error) {
    if (error instanceof ForbiddenKeyError) return error.message;
    return last ? void 0 : "a line that is not JSON";
  }
  return checkRecord(value);
}
function checkRecord(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "a line that is not an object";
  const record = value;
  const problems = [];
  const field = (name2, check, optional = false) => {
    const present = Object.hasOwn(record, name2) && record[name2] !== void 0;
    if (present ? !check(record[name2]) : !optional) problems.push(name2);
  };
  const located = () => {
    field("id", isText);
    field("file", isText);
    field("titles", (titles) => Array.isArray(titles) && titles.length < 1e3 && titles.every(isText), true);
    field("line", (line) => line === null || isCount(line), true);
  };
  switch (record.type) {
    case "process":
      field("runner", (runner) => RUNNERS.some((known) => known !== "auto" && known === runner));
      for (const name2 of ["runnerVersion", "rootdir", "platform"]) field(name2, isText);
      field("pid", isCount);
      field("worker", (worker) => worker === null || isText(worker), true);
      for (const name2 of ["trims", "tracksPeak", "sharedProcess"]) field(name2, isBoolean, true);
      field("measures", (measures) => measures === "rss" || measures === "heap", true);
      field("error", isText, true);
      field("unsupported", isText, true);
      break;
    case "start":
      located();
      field("before", isSize2);
      field("rss", isSize2, true);
      break;
    case "test":
      located();
      for (const name2 of ["before", "after", "delta"]) field(name2, isSize2);
      for (const name2 of ["peak", "allocatedBlocks"]) field(name2, isSizeOrNull);
      for (const name2 of ["heapDelta", "externalDelta"]) field(name2, isSize2, true);
      field("rssDelta", isSizeOrNull, true);
      field("duration", (duration) => isSize2(duration) && duration >= 0);
      field("outcome", isText);
      for (const name2 of ["overlapped", "disturbed", "unsettled"]) field(name2, isBoolean, true);
      field("attempt", isCount, true);
      break;
    case "trace":
      located();
      field("sites", (sites) => isListOf(sites, MAX_SITES, isSite), true);
      field("traced", isSize2, true);
      field("external", isSize2, true);
      field("stopped", isText, true);
      break;
    case "not-run":
      located();
      break;
    case "error":
      field("error", isText);
      break;
    case "collected":
      field("count", isCount);
      field("file", isText, true);
      break;
    case "unmeasured":
      field("reason", isText);
      field("count", isCount, true);
      if (record.id !== void 0) located();
      break;
    case "end":
      field("maxRss", isSize2, true);
      field("ran", isCount, true);
      field("fullCollections", isCount, true);
      field("collectionSeconds", isSize2, true);
      field("elapsed", isSize2, true);
      break;
    default:
      return "a line of no known record type";
  }
  return problems.length === 0 ? record : `a ${record.type} record with a bad ${problems.join(", ")}`;
}
var MAX_SITES = 20;
var MAX_STACK = 20;
function isListOf(value, most, check) {
  return Array.isArray(value) && value.length <= most && value.every(check);
}
function isFrame(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const frame = value;
  return isText(frame.file) && isCount(frame.line) && isText(frame.function);
}
function isSite(value) {
  if (!isFrame(value)) return false;
  const site = value;
  return isSize2(site.size) && isCount(site.count) && isListOf(site.stack, MAX_STACK, isFrame);
}
function isText(value) {
  return typeof value === "string" && value.length <= MAX_TEXT;
}
function isBoolean(value) {
  return typeof value === "boolean";
}
function isSize2(value) {
  return typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= MAX_NUMBER;
}
function isSizeOrNull(value) {
  return value === null || isSize2(value);
}
function isCount(value) {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_NUMBER;
}
async function readRecordsDirectory(directory) {
  let names;
  try {
    names = (await readdir2(directory)).filter((name2) => name2.endsWith(".jsonl")).sort();
  } catch {
    return { runs: [], rejected: [] };
  }
  const rejected = [];
  const runs = [];
  for (const name2 of names) {
    const file = path6.join(directory, name2);
    const stats = await lstat(file).catch(() => void 0);
    if (!stats?.isFile()) {
      rejected.push(`${name2}: not a regular file`);
      continue;
    }
    const found = [];
    runs.push(...parseRecords(await readFile2(file, "utf8"), found));
    rejected.push(...found.map((why) => `${name2}: ${why}`));
  }
  return { runs, rejected };
}

// src/measure.ts
var SAMPLE_INTERVAL_MS = 500;
var PYTHON_DIRECTORY = fileURLToPath(new URL("./python/", import.meta.url));
var NODE_PRELOAD = fileURLToPath(new URL("./preload/node.cjs", import.meta.url));
function toolVersion() {
  const packageJson = JSON.parse(readFileSync2(new URL("../package.json", import.meta.url), "utf8"));
  return packageJson.version;
}
async function measure(settings, baseDirectory, log, cancel) {
  const runner = resolveRunner(settings);
  const started = performance.now();
  const suite = await runMeasured(settings, runner, baseDirectory, {}, { cancel, graceMs: CANCEL_GRACE_MS });
  const suiteMs = performance.now() - started;
  const report = analyze({ ...suite, confirmRuns: settings.confirmRuns });
  const suspects = settings.confirmRuns === 0 ? [] : suspectsOf(report);
  const results = /* @__PURE__ */ new Map();
  if (cancel?.aborted) {
    return { ...cancelled(report, results, suspects, cancel, log), exitCode: stopped(report, cancel) };
  }
  if (suspects.length === 0) return report;
  const count = suspects.length === 1 ? "1 suspect" : `${suspects.length} suspects`;
  log(`leakwatch: running ${count} again alone, ${settings.confirmRuns} times each, to confirm`);
  const { runMs, capMs } = confirmationTimeouts(suiteMs, process.env);
  const confirming = performance.now();
  const context = {
    settings,
    runner,
    baseDirectory,
    limits: { runMs, capMs, deadline: confirming + capMs, cancel, log },
    starts: 0,
    tracing: /* @__PURE__ */ new Set(),
    traces: /* @__PURE__ */ new Map()
  };
  const chosen = suspects.slice(0, MAX_CONFIRMED);
  for (const test of suspects.slice(MAX_CONFIRMED)) {
    results.set(test.id, `not run again: only the ${MAX_CONFIRMED} largest suspects are`);
  }
  const asked = settings.confirmRuns;
  await confirmTogether(chosen, asked, results, context);
  const unstable = chosen.filter((test) => {
    const result = results.get(test.id);
    return typeof result === "object" && judge(result, asked, settings.limit).verdict === "unstable";
  });
  const timeLeft = !cancel?.aborted && performance.now() < context.limits.deadline;
  const retried = asked < MAX_CONFIRM_RUNS && timeLeft ? unstable : [];
  for (const test of suspects) {
    const disagree2 = retried.includes(test) ? `: these disagree, running it ${MAX_CONFIRM_RUNS} times` : "";
    logRuns(log, test, results.get(test.id), disagree2);
  }
  if (cancel?.aborted) return cancelled(report, results, suspects, cancel, log);
  if (retried.length > 0) {
    const more = /* @__PURE__ */ new Map();
    await confirmTogether(retried, MAX_CONFIRM_RUNS, more, context);
    for (const test of retried) {
      const result = more.get(test.id);
      if (typeof result === "object" && result.runs.length >= 2) results.set(test.id, result);
      logRuns(log, test, results.get(test.id));
    }
  }
  if (cancel?.aborted) return cancelled(report, results, suspects, cancel, log);
  const took = (performance.now() - confirming) / 1e3;
  const starts = context.starts === 1 ? "1 start" : `${context.starts} starts`;
  log(`leakwatch: confirming took ${took.toFixed(1)} s, the suite ${(suiteMs / 1e3).toFixed(1)} s (${starts})`);
  const confirmed = await traceLeaks(applyConfirmations(report, results), context, took);
  const warnings2 = [...confirmed.warnings, ...context.tracing];
  if (cancel?.aborted) {
    log(`leakwatch: cancelled (${String(cancel.reason)}): publishing what was measured, without all the leaks' sites`);
    return { ...confirmed, warnings: warnings2, cancelled: true };
  }
  return { ...confirmed, warnings: warnings2 };
}
async function traceLeaks(report, context, confirmingSeconds) {
  const leaks = report.tests.filter((test) => test.verdict === "leak");
  const { settings, limits } = context;
  const timeoutMs = Math.min(limits.runMs, limits.deadline - performance.now());
  if (settings.trace === "off" || leaks.length === 0 || limits.cancel?.aborted) return report;
  if (timeoutMs <= 0) {
    const which = leaks.length === 1 ? "the leak" : `the ${leaks.length} leaks`;
    context.tracing.add(
      `no time was left to trace where ${which}' memory was allocated: confirming took it all, so they have no sites`
    );
    return withTraces(report, context.traces);
  }
  const started = performance.now();
  await runTogether(leaks, 2, context, timeoutMs, {
    LEAKWATCH_TRACE: "last-run",
    LEAKWATCH_TRACE_BUDGET: confirmingSeconds.toFixed(3)
  });
  const seconds2 = ((performance.now() - started) / 1e3).toFixed(1);
  const traced = withTraces(report, context.traces);
  const placed = traced.tests.filter((test) => test.sites.length > 0).length;
  limits.log(
    `leakwatch: traced the allocations of ${leaks.length === 1 ? "1 leak" : `${leaks.length} leaks`} in ${seconds2} s: ${placed} with sites`
  );
  return traced;
}
function logRuns(log, test, result, tail = "") {
  if (result !== void 0) log(`leakwatch: ${printable(test.id)}: ${describeRuns(result)}${tail}`);
}
var CANCEL_GRACE_MS = 2e3;
function confirmationTimeouts(suiteMs, env) {
  const given = (value) => value !== void 0 && Number(value) > 0 ? Number(value) : void 0;
  return {
    runMs: given(env.LEAKWATCH_CONFIRM_TIMEOUT_MS) ?? Math.max(6e4, 3 * suiteMs),
    capMs: given(env.LEAKWATCH_CONFIRM_CAP_MS) ?? Math.max(12e4, suiteMs)
  };
}
function cancelled(report, results, suspects, cancel, log) {
  const signal = String(cancel.reason);
  const left = suspects.filter((test) => !results.has(test.id));
  for (const test of left) results.set(test.id, CANCELLED_BEFORE);
  const skipped = left.length === 0 ? "" : `, without confirming ${left.length === 1 ? "1 suspect" : `${left.length} suspects`}`;
  log(`leakwatch: cancelled (${signal}): publishing what was measured${skipped}`);
  return { ...applyConfirmations(report, results), cancelled: true };
}
function stopped(report, cancel) {
  const signal = constants3.signals[cancel.reason];
  return report.exitCode === 0 ? 128 + (signal ?? constants3.signals.SIGINT) : report.exitCode;
}
async function confirmTogether(tests, asked, results, context) {
  const { limits } = context;
  const byId = new Map(tests.map((test) => [test.id, test]));
  let together = [...tests];
  const ownStart = [];
  while (together.length > 0 || ownStart.length > 0) {
    if (limits.cancel?.aborted) return;
    const timeoutMs = Math.min(limits.runMs, limits.deadline - performance.now());
    if (timeoutMs <= 0) break;
    const fit2 = fitInFreeMemory(together, asked, os.freemem());
    for (const test of fit2.tooLarge) {
      results.set(
        test.id,
        `not run again: ${asked} runs keeping ${formatSize(test.delta)} each would not fit in free memory`
      );
    }
    together = fit2.left;
    const batch = fit2.batch.length > 0 ? fit2.batch : ownStart.splice(0, 1);
    if (batch.length === 0) continue;
    const recorded = await runTogether(batch, asked, context, timeoutMs);
    const sorted = sortOut([...recorded.keys()], recorded, asked);
    for (const [id, got] of recorded) {
      const before = results.get(id);
      const ran = got.runs.length > 0 || got.unfinished;
      if (limits.cancel?.aborted && got.runs.length < asked) {
        if (got.unfinished && before === void 0) results.set(id, CANCELLED_WHILE);
      } else if ((ran || sorted.settled.includes(id)) && // What a start of its own got replaces what it got with the others, unless that was more.
      (typeof before !== "object" || got.runs.length >= before.runs.length)) {
        results.set(id, { runs: got.runs, problem: got.problem });
      }
    }
    for (const id of sorted.ownStart) {
      const result = results.get(id);
      const freed = recorded.get(id)?.disturbed === true ? ", more freed than it held" : "";
      const got = typeof result === "object" ? describeRuns(result) + freed : "not run";
      limits.log(
        `leakwatch: ${printable(id)}: with the other suspects, ${got}; running it again in a start of its own`
      );
    }
    ownStart.push(...sorted.ownStart.flatMap((id) => byId.get(id) ?? []));
    together.push(...sorted.together.flatMap((id) => byId.get(id) ?? []));
  }
  for (const test of [...together, ...ownStart]) {
    if (!results.has(test.id))
      results.set(test.id, `not run again: confirming stopped after ${seconds(limits.capMs)} s, the cap`);
  }
}
function fitInFreeMemory(tests, asked, free) {
  const fit2 = { batch: [], left: [], tooLarge: [] };
  let total = 0;
  for (const test of tests) {
    const needs = Math.max(0, test.delta) * asked;
    const nested = fit2.batch.some((other) => isWithin(test, other) || isWithin(other, test));
    if (needs > free) fit2.tooLarge.push(test);
    else if (total + needs > free || nested) fit2.left.push(test);
    else {
      fit2.batch.push(test);
      total += needs;
    }
  }
  return fit2;
}
function describeRuns(result) {
  if (typeof result === "string") return result;
  const runs = result.runs.map((run) => formatSize(run.delta)).join(", ");
  return result.problem === null ? runs : `${runs || "no run"}; ${result.problem}`;
}
function seconds(ms) {
  return Math.max(1, Math.round(ms / 1e3));
}
async function runMeasured(settings, runner, baseDirectory, extraEnv, control) {
  const recordsDirectory = await mkdtemp(path7.join(os.tmpdir(), "leakwatch-"));
  try {
    const env = injectionEnvironment(process.env, {
      runner,
      recordsDirectory,
      limit: settings.limit,
      confirmRuns: settings.confirmRuns,
      trace: settings.trace,
      pythonDirectory: PYTHON_DIRECTORY,
      nodePreload: NODE_PRELOAD
    });
    let sampler;
    const exitCode = await runInShell(settings.command, {
      cwd: settings.workingDirectory,
      env: { ...env, ...extraEnv },
      onStart: (pid) => sampler = sampleProcessTree(pid, SAMPLE_INTERVAL_MS),
      ...control.cancel === void 0 ? {} : { cancel: control.cancel, graceMs: control.graceMs },
      ...control.quiet === void 0 ? {} : { output: "ignore", timeoutMs: control.quiet.timeoutMs }
    });
    const tree = await sampler?.stop() ?? { peak: null, lastSeen: /* @__PURE__ */ new Map() };
    const { runs, rejected } = await readRecordsDirectory(recordsDirectory);
    await locateTests(runs);
    return {
      runs,
      rejectedRecords: rejected,
      command: settings.command,
      runner,
      limit: settings.limit,
      ignore: settings.ignore,
      exitCode,
      tree,
      baseDirectory,
      workingDirectory: settings.workingDirectory,
      toolVersion: toolVersion()
    };
  } finally {
    await rm(recordsDirectory, { recursive: true, force: true });
  }
}
async function runTogether(tests, asked, context, timeoutMs, extraEnv = {}) {
  const { settings, runner, baseDirectory, limits } = context;
  context.starts += 1;
  const targets = {
    runs: asked,
    tests: tests.map((test) => ({ id: test.id, file: path7.resolve(baseDirectory, test.file), titles: test.titles }))
  };
  const suite = await runMeasured(
    settings,
    runner,
    baseDirectory,
    { LEAKWATCH_CONFIRM: JSON.stringify(targets), ...extraEnv },
    { cancel: limits.cancel, graceMs: 0, quiet: { timeoutMs } }
  );
  const alone = analyze({ ...suite, confirmRuns: 0 });
  const traces = tracedRuns(suite.runs, baseDirectory, settings.workingDirectory);
  for (const [id, trace] of traces) {
    context.traces.set(id, trace);
    if (trace.stopped !== null) context.tracing.add(trace.stopped);
  }
  return new Map(
    tests.map((test) => {
      const own = alone.tests.filter((run) => run.id === test.id);
      const runs = own.map(({ delta, heapDelta, externalDelta, outcome, allocatedBlocks }) => ({
        delta,
        heapDelta,
        externalDelta,
        outcome,
        allocatedBlocks
      }));
      const unfinished = alone.incomplete.some((run) => run.id === test.id);
      const problem = runs.length < asked ? whyStoppedShort(runs.length, asked, suite.exitCode, timeoutMs, unfinished) : null;
      const disturbed = alone.tests.some(
        (run) => run.id === test.id && (run.disturbed || freedMuch(run, settings.limit))
      );
      return [test.id, { runs, unfinished, disturbed, problem }];
    })
  );
}
function freedMuch(run, limit) {
  return [run.delta, run.heapDelta, run.externalDelta].some((delta) => delta !== null && delta < -limit / 4);
}
function whyStoppedShort(done, asked, exitCode, timeoutMs, unfinished) {
  if (exitCode === TIMED_OUT) {
    return `leakwatch stopped it after ${seconds(timeoutMs)} s, on run ${done + 1} of ${asked} alone`;
  }
  if (unfinished) return `its process died on run ${done + 1} alone`;
  return `it ran ${done} of ${asked} times alone (the command exited with ${exitCode})`;
}
function resolveRunner(settings) {
  if (settings.runner !== "auto") return settings.runner;
  return detectRunner(settings.command, path7.resolve(settings.workingDirectory), readPackageScripts) ?? "auto";
}
async function locateTests(runs) {
  const sources = /* @__PURE__ */ new Map();
  const source = (file) => {
    let text = sources.get(file);
    if (text === void 0) {
      text = readFile3(file, "utf8").catch(() => void 0);
      sources.set(file, text);
    }
    return text;
  };
  for (const run of runs) {
    for (const record of [...run.tests, ...run.unfinished]) {
      if (record.titles === void 0 || record.line !== null) continue;
      const text = await source(path7.resolve(run.header.rootdir, record.file));
      if (text !== void 0) record.line = findTestLine(text, record.titles);
    }
  }
}

// src/format/annotations.ts
import path8 from "node:path";
var MAX_ANNOTATIONS_PER_LEVEL = 10;
function annotationsFor(report, failing) {
  const newLeaks = new Set(report.comparison?.new ?? []);
  const findings = findingsOf(report);
  const place = (test) => ({
    // Annotations need a path inside the repository.
    file: test.file.startsWith("../") ? void 0 : test.file,
    line: test.line ?? void 0
  });
  const onTest = (test) => ({
    level: failing.has(testKey(test)) ? "error" : "warning",
    title: `leakwatch: ${shortName(test)} ${newLeaks.has(testKey(test)) ? "newly " : ""}leaked ${formatSize(keptSize(test))}`,
    message: `${testKey(test)} kept ${formatSize(keptSize(test))}, more than the limit of ${formatSize(report.limit)}${detail(test)}.`,
    ...place(test)
  });
  const onSite = (test) => {
    const site = test.sites[0];
    const file = site === void 0 ? void 0 : place({ file: site.file, line: site.line }).file;
    if (site === void 0 || file === void 0 || path8.isAbsolute(file)) return [];
    if (file === test.file && site.line === test.line) return [];
    return [
      {
        level: failing.has(testKey(test)) ? "error" : "warning",
        title: `leakwatch: memory ${shortName(test)} leaks is allocated here`,
        message: `${testKey(test)} keeps ${formatSize(keptSize(test))} per run, ${formatSize(site.size)} of it allocated here, in ${site.function}.`,
        file,
        line: site.line
      }
    ];
  };
  const leaks = findings.leaks.flatMap((test) => [onTest(test), ...onSite(test)]);
  const died = findings.incomplete.map((test) => ({
    level: report.exitCode === 0 ? "warning" : "error",
    title: `leakwatch: the process died in ${shortName(test)}`,
    message: `${testKey(test)} never finished: its process died; ${diedDetail(test)}.`,
    ...place(test)
  }));
  const all = [...leaks, ...died];
  const shown = [];
  for (const level of ["error", "warning"]) {
    shown.push(...all.filter((annotation) => annotation.level === level).slice(0, MAX_ANNOTATIONS_PER_LEVEL));
  }
  return { annotations: shown, left: all.length - shown.length };
}
function detail(test) {
  const text = leakDetail(test);
  return text ? `: ${text}` : "";
}
function shortName(test) {
  const title = test.titles?.at(-1);
  if (title !== void 0) return title;
  const parameters = test.id.indexOf("[");
  const head = parameters === -1 ? test.id : test.id.slice(0, parameters);
  const separator = head.includes("::") ? "::" : " > ";
  const at = head.lastIndexOf(separator);
  return at === -1 ? test.id : test.id.slice(at + separator.length);
}

// src/format/charts.ts
var MOST_POINTS = 300;
var MOST_BARS = 10;
var MB = 1e6;
function memorySeries(tests, shard) {
  const byProcess = /* @__PURE__ */ new Map();
  for (const test of tests) {
    const own2 = byProcess.get(test.worker) ?? [];
    own2.push(test);
    byProcess.set(test.worker, own2);
  }
  const ordered = [...byProcess].flatMap(([worker2, own2]) => {
    const order = own2.map((test) => test.order);
    if (order.some((place) => place === void 0) || new Set(order).size < order.length) return [];
    return [[worker2, [...own2].sort((a, b) => (a.order ?? 0) - (b.order ?? 0))]];
  });
  const keptBy = (own2) => own2.reduce((sum, test) => sum + Math.max(0, test.delta), 0);
  const [worker, own] = ordered.sort((a, b) => keptBy(b[1]) - keptBy(a[1]))[0] ?? [];
  if (worker === void 0 || own === void 0 || own.length < 2) return void 0;
  return {
    process: shard === void 0 ? worker : `${worker} of shard ${shard}`,
    processes: byProcess.size,
    values: thinned(own.map((test) => test.after / MB)),
    tests: own.length,
    kept: keptBy(own),
    measures: own[0]?.measures ?? "rss"
  };
}
function memoryChart(series) {
  if (series === void 0) return void 0;
  const { values, processes } = series;
  const whose = processes === 1 ? "" : `, process ${plain(series.process)} (it kept the most; ${processes - 1} more not drawn)`;
  const what = series.measures === "heap" ? "JS heap and external memory" : "resident memory";
  return block([
    "xychart-beta",
    `  title "${what} after each test, in MB${whose}"`,
    `  x-axis "tests in the order they ran (${series.tests})" 1 --> ${values.length}`,
    `  y-axis "MB" ${axisFrom(values)} --> ${Math.ceil(Math.max(...values))}`,
    `  line [${values.map((value) => value.toFixed(1)).join(", ")}]`
  ]);
}
function largestChart(leaks) {
  const largest = leaks.filter((test) => keptSize(test) > 0).slice(0, MOST_BARS);
  if (largest.length === 0) return void 0;
  const names = largest.map((test, index) => `"${index + 1}. ${plain(shortName(test)).slice(0, 28)}"`);
  const sizes = largest.map((test) => (keptSize(test) / MB).toFixed(1));
  return block([
    "xychart-beta horizontal",
    `  title "The ${largest.length === 1 ? "leak" : `${largest.length} largest leaks`}: MB kept per run"`,
    `  x-axis [${names.join(", ")}]`,
    `  y-axis "MB" 0 --> ${Math.ceil(Math.max(...largest.map((test) => keptSize(test) / MB)))}`,
    `  bar [${sizes.join(", ")}]`
  ]);
}
function block(lines) {
  return ["```mermaid", ...lines, "```"].join("\n");
}
function thinned(values) {
  if (values.length <= MOST_POINTS) return values;
  const stretch = values.length / MOST_POINTS;
  return Array.from(
    { length: MOST_POINTS },
    (_, index) => Math.max(...values.slice(Math.floor(index * stretch), Math.floor((index + 1) * stretch)))
  );
}
function axisFrom(values) {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return Math.max(0, Math.floor(low - (high - low) * 0.1));
}
function plain(text) {
  return text.replace(/[^\p{L}\p{N} _.:-]/gu, "_");
}

// src/format/markdown.ts
var SUMMARY_MAX_BYTES = 1024 * 1024 - 1024;
var COMMENT_MAX_BYTES = 65536 - 256;
var MAX_IDS_LISTED = 50;
var MAX_CASES_LISTED = 50;
function renderMarkdown(report, options) {
  const findings = findingsOf(report);
  const title = options.reportName === "leakwatch" ? "leakwatch" : `leakwatch \xB7 ${literal(options.reportName)}`;
  const newLeaks = report.comparison?.new.length ?? findings.leaks.length;
  const died = diedHeadline(report.incomplete);
  const shards = shardsHeadline(report, literal);
  const icon = newLeaks > 0 ? "\u{1F534}" : findings.leaks.length > 0 ? "\u{1F7E0}" : shards !== void 0 ? "\u26A0\uFE0F" : "\u2705";
  const head = `### ${icon} ${title}: ${headline(report, findings, { died, shards })}`;
  const tail = [...report.warnings.map((warning) => `> \u26A0\uFE0F ${escapeText(warning)}`), footer(report, options)];
  const budget = new Budget(options.maxBytes - byteLength([head, ...tail].join("\n\n")) - 8);
  const confirmations = confirmationsOf(findings.leaks);
  const [intro = "", ...changes] = changeSections(report, options, budget, confirmations);
  const [incomplete, leaks, ...others] = bodySections(report, findings, options, budget, confirmations);
  const note = escapeText(confirmations.note);
  const sections = [
    head,
    intro,
    ...report.comparison === null ? [incomplete, note] : [note, ...changes, incomplete],
    leaks,
    chartSection(report, findings, options, budget),
    ...others,
    shardsSection(report, budget),
    ...tail
  ];
  return sections.filter(Boolean).join("\n\n") + "\n";
}
function chartSection(report, findings, options, budget) {
  if (options.charts === void 0 || options.charts === "folded" && findings.leaks.length === 0) return "";
  const memory = options.memory ?? memorySeries(report.tests);
  const charts = [memoryChart(memory), largestChart(findings.leaks)].filter((chart) => chart !== void 0);
  if (charts.length === 0) return "";
  const body = charts.join("\n\n");
  const section = options.charts === "shown" ? body : `<details><summary>Memory across the suite, as charts</summary>

${body}

</details>`;
  return budget.take(section, 400) ? section : "";
}
function diedHeadline(incomplete) {
  const [worst] = [...incomplete].sort((a, b) => b.lastSeen - a.lastSeen);
  if (worst === void 0) return void 0;
  const others = incomplete.length > 1 ? ` and ${plural(incomplete.length - 1, "other")}` : "";
  return `${incomplete.length === 1 ? "1 test's process" : `${incomplete.length} tests' processes`} died: ${literal(testKey(worst))} (last seen ${formatSize(worst.lastSeen)})${others}`;
}
function changeSections(report, options, budget, confirmations) {
  if (report.baselineProblem !== null)
    return [`> \u2139\uFE0F No comparison with the base: ${escapeText(report.baselineProblem)}`];
  const comparison = report.comparison;
  if (comparison === null) return [];
  const more = moreLine(options);
  const peak = peakChange(comparison);
  const intro = `**Since the base** (${escapeText(baseName(comparison.base))}): ${escapeText(changeSummary(comparison))}` + (peak === void 0 ? "." : `; ${escapeText(peak)}.`);
  const inBase = (test) => {
    const kept = comparison.baseKept[testKey(test)];
    return kept === void 0 ? "not run" : formatSize(kept);
  };
  const changed = (title, ids2) => leakTable(testsNamed(report, ids2), options, budget, confirmations, [title, "Base"], (group) => {
    const kept = group.tests.map((test) => comparison.baseKept[testKey(test)]);
    return kept.every((size) => size === void 0) ? "not run" : group.tests.length === 1 ? inBase(group.tests[0]) : sizeRange(kept.flatMap((size) => size ?? []));
  });
  const fixed = list(
    `**${plural(comparison.fixed.length, "leak")} fixed:**`,
    testsNamed(report, comparison.fixed).map(
      (test) => `- ${literal(testKey(test))}: ${inBase(test)} in the base, ${formatSize(keptSize(test))} now`
    ),
    budget,
    (count) => more(count, "test")
  );
  const ids = (title, list2) => details(
    title,
    list2.length === 0 ? "" : fit(
      [],
      list2.map((id) => `- ${literal(id)}`),
      budget,
      (count) => more(count, "test"),
      MAX_IDS_LISTED
    )
  );
  return [
    intro,
    changed("New leak, kept", comparison.new),
    changed("Regressed, keeps", comparison.regressed),
    fixed,
    ids(`${plural(comparison.added.length, "test")} added`, comparison.added),
    ids(`${plural(comparison.removed.length, "test")} removed`, comparison.removed)
  ];
}
function linker(options) {
  return (test) => {
    const href = options.linkTo?.(test.file, test.line);
    const text = literal(location(test));
    return href === void 0 ? text : `<a href="${escapeAttribute(href)}">${text}</a>`;
  };
}
function moreLine(options) {
  return (count, what) => `\u2026and ${count} more ${count === 1 ? what : `${what}s`}, ${escapeText(options.more)}.`;
}
function bodySections(report, findings, options, budget, confirmations) {
  const where = linker(options);
  const more = moreLine(options);
  const comparison = report.comparison;
  const shownAbove = /* @__PURE__ */ new Set([...comparison?.new ?? [], ...comparison?.regressed ?? []]);
  const others = findings.leaks.filter((test) => !shownAbove.has(testKey(test)));
  const otherLeaks = leakTable(others, options, budget, confirmations, ["Kept"]);
  const leaks = comparison === null ? otherLeaks : details(
    `${plural(others.length, "other leak")}, ${others.length === 1 ? "a leak" : "leaks"} in the base too`,
    otherLeaks
  );
  const incomplete = list(
    `**${plural(findings.incomplete.length, "test")} never finished**: the process running it died.`,
    findings.incomplete.map(
      (test) => `- ${literal(testKey(test))} at ${where(test)}: ${escapeText(diedDetail(test))}`
    ),
    budget,
    (count) => more(count, "test")
  );
  const notLeaks = (title, tests, kept = ["Kept in the suite", (test) => test.delta]) => details(
    title,
    table(
      [kept[0], "Test"],
      ["---:", "---"],
      tests.map((test) => [
        formatSize(kept[1](test)),
        `${testCell(test)}<br><sub>${escapeText(runsAlone(test))}</sub>`
      ]),
      budget,
      (count) => more(count, "test")
    )
  );
  const warmUps = notLeaks(
    `${plural(findings.warmUps.length, "test")} warmed up: kept memory the first time only, not leaks`,
    findings.warmUps,
    ["Kept the first time alone", warmUpSize]
  );
  const unstable = notLeaks(
    `${plural(findings.unstable.length, "test")} disagreed run to run alone, even after more runs: unstable, not leaks`,
    findings.unstable
  );
  const noise = notLeaks(
    `${plural(findings.noise.length, "test")} kept next to nothing when run alone: noise, not leaks`,
    findings.noise
  );
  const ignored = details(
    `${plural(findings.ignored.length, "test")} over the limit but ignored`,
    table(
      ["Kept", "Test"],
      ["---:", "---"],
      findings.ignored.map((test) => [formatSize(test.delta), testCell(test)]),
      budget,
      (count) => more(count, "test")
    )
  );
  return [incomplete, leaks, warmUps, unstable, noise, ignored];
}
function leakTable(tests, options, budget, confirmations, [sizeTitle, ...extraTitles], ...extra) {
  if (tests.length === 0) return "";
  const entries = foldCrowdedFiles(groupCases(tests)).map(
    (entry) => "file" in entry ? { fold: entry, group: { label: entry.file, tests: entry.groups.flatMap((group) => group.tests) } } : { fold: void 0, group: entry }
  );
  const rows = entries.map(({ fold, group }) => [
    fold === void 0 ? groupSize(group) : sizeRange(group.tests.map(keptSize)),
    fold !== void 0 ? foldCell(fold, group.tests.length, options) : group.tests.length === 1 ? leakCell(group.tests[0], options, confirmations) : casesCell(group, options, confirmations),
    ...extra.map((cell) => cell(group))
  ]);
  return table(
    [sizeTitle ?? "Kept", "Test", ...extraTitles],
    ["---:", "---", ...extraTitles.map(() => "---:")],
    rows,
    budget,
    // Counted in leaks, not rows: a row may hold many.
    (count) => moreLine(options)(
      entries.slice(entries.length - count).reduce((sum, { group }) => sum + group.tests.length, 0),
      "leak"
    )
  );
}
function foldCell(fold, leaks, options) {
  const items = fold.groups.map((group) => {
    const [test] = group.tests;
    return group.tests.length === 1 && test !== void 0 ? `${formatSize(keptSize(test))} ${linkedId(test, options)}` : `${groupSize(group)} ${wrappable(group.label)} \u2014 ${group.tests.length} cases`;
  });
  return `${plural(leaks, "more leak")} in ${wrappable(fold.file)}<details><summary>the ${plural(leaks, "leak")}</summary>${foldedList(items)}</details>`;
}
function foldedList(items) {
  const shown = items.slice(0, MAX_CASES_LISTED);
  if (items.length > MAX_CASES_LISTED) shown.push(escapeText(`\u2026and ${items.length - MAX_CASES_LISTED} more`));
  return shown.join("<br>");
}
function confirmationsOf(leaks) {
  const usual = usualConfirmation(leaks);
  const problems = /* @__PURE__ */ new Map();
  for (const test of leaks) {
    const problem = test.confirmation?.perRun == null ? test.confirmation?.problem : void 0;
    if (problem != null) problems.set(problem, (problems.get(problem) ?? 0) + 1);
  }
  const shared = new Set([...problems].filter(([, count]) => count > 1).map(([problem]) => problem));
  const note = [
    usual === void 0 ? "" : `Each confirmed by ${plural(usual, "run")} alone, keeping the same each run, unless its row says otherwise.`,
    ...[...shared].map((problem) => `${plural(problems.get(problem) ?? 0, "leak")} not confirmed: ${problem}.`)
  ].filter(Boolean).join(" ");
  return { usual, shared, note };
}
function groupSize(group) {
  if (group.tests.length === 1) return formatSize(keptSize(group.tests[0]));
  return `${formatSize(median(group.tests.map(keptSize)))} each`;
}
function sizeRange(sizes) {
  const low = Math.min(...sizes);
  const high = Math.max(...sizes);
  return formatSize(low) === formatSize(high) ? formatSize(low) : `${formatSize(low)}\u2013${formatSize(high)}`;
}
function leakCell(test, options, confirmations) {
  const linked = options.linkTo?.(test.file, test.line) !== void 0;
  const more = [linked ? "" : `at ${linker(options)(test)}`, ...whatTellsMore(test, options, confirmations)];
  const under = more.filter(Boolean).join("; ");
  const id = linkedId(test, options);
  return under === "" ? id : `${id}<br><sub>${under}</sub>`;
}
function linkedId(test, options) {
  const link = options.linkTo?.(test.file, test.line);
  const name2 = wrappable(testKey(test));
  const id = link === void 0 ? name2 : `<a href="${escapeAttribute(link)}">${name2}</a>`;
  return test.outcome === "passed" ? id : `${id} (${escapeText(test.outcome)})`;
}
function whatTellsMore(test, options, { usual, shared }) {
  const where = linker(options);
  const problem = test.confirmation?.perRun == null ? test.confirmation?.problem : void 0;
  const confirmation = problem != null && shared.has(problem) ? "not confirmed" : unusualConfirmation(test, usual);
  return [
    escapeText(confirmation ?? ""),
    escapeText(heapText(test) ?? ""),
    ...test.sites.slice(0, 2).map((site) => `allocated at ${where(site)} ${escapeText(siteSummary(site, test.measures))}`),
    escapeText(unattributedText(test) ?? "")
  ].filter(Boolean);
}
function casesCell(group, options, confirmations) {
  const [largest] = group.tests;
  const range = sizeRange(group.tests.map(keptSize));
  const head = `${wrappable(group.label)} \u2014 ${group.tests.length} cases${range.includes("\u2013") ? ` (${range})` : ""}`;
  const cases = foldedList(group.tests.map((test) => `${formatSize(keptSize(test))} ${linkedId(test, options)}`));
  const told = largest === void 0 ? [] : whatTellsMore(largest, options, confirmations);
  const under = told.length === 0 ? "" : `<br><sub>the largest: ${told.join("; ")}</sub>`;
  return `${head}${under}<details><summary>the ${group.tests.length} cases</summary>${cases}</details>`;
}
function testCell(test) {
  const name2 = wrappable(testKey(test));
  return test.outcome === "passed" ? name2 : `${name2} (${escapeText(test.outcome)})`;
}
function shardsSection(report, budget) {
  const shards = report.shards ?? [];
  const rows = shards.map((shard) => [
    literal(shard.label),
    String(shard.tests),
    String(shard.leaks),
    shard.peak === null ? "" : formatSize(shard.peak),
    `${literal(shard.command)} ${shard.cancelled ? "cancelled" : `exited with ${shard.exitCode}`}`
  ]);
  const missing = (report.missingShards ?? []).map((shard) => [
    literal(shard.label),
    "",
    "",
    "",
    `no report: ${escapeText(shard.why)}`
  ]);
  return details(
    `${plural(shards.length, "shard")} merged${missing.length === 0 ? "" : `, ${missing.length} missing`}`,
    table(
      ["Shard", "Tests", "Leaks", "Peak RSS", "Command"],
      ["---", "---:", "---:", "---:", "---"],
      [...missing, ...rows],
      budget,
      (count) => `\u2026and ${plural(count, "more shard")}.`
    )
  );
}
function footer(report, options) {
  const parts = [
    `leakwatch ${escapeText(report.tool.version)}`,
    escapeText(report.runner),
    report.shards === void 0 ? `${literal(report.command)} exited with ${report.exitCode}` : `${plural(report.shards.length, "shard")} merged`
  ];
  if (options.runUrl !== void 0) parts.push(`<a href="${escapeAttribute(options.runUrl)}">workflow run</a>`);
  return `<sub>${parts.join(" \xB7 ")}</sub>`;
}
function table(header, alignment, rows, budget, more) {
  if (rows.length === 0) return "";
  const lines = [row(header), row(alignment)];
  return fit(lines, rows.map(row), budget, more);
}
function list(intro, items, budget, more) {
  return items.length === 0 ? "" : fit([intro, ""], items, budget, more);
}
function details(summary, body) {
  return body === "" ? "" : `<details><summary>${summary}</summary>

${body}

</details>`;
}
function fit(head, items, budget, more, most = Number.POSITIVE_INFINITY) {
  const reserve = 400;
  if (!budget.take(head.join("\n") + "\n", reserve)) return "";
  const lines = [...head];
  let shown = 0;
  while (shown < Math.min(items.length, most) && budget.take(`${items[shown] ?? ""}
`, reserve)) {
    lines.push(items[shown] ?? "");
    shown += 1;
  }
  if (shown < items.length) lines.push("", more(items.length - shown));
  return lines.join("\n");
}
function row(cells) {
  return `| ${cells.join(" | ")} |`;
}
var Budget = class {
  constructor(left) {
    this.left = left;
  }
  left;
  /** Takes room for `text` if, after it, `reserve` bytes would still be left. */
  take(text, reserve) {
    const size = byteLength(text);
    if (size + reserve > this.left) return false;
    this.left -= size;
    return true;
  }
};
function byteLength(text) {
  return Buffer.byteLength(text, "utf8");
}
var MAX_SHOWN_CHARACTERS = 200;
function literal(text) {
  const characters = Array.from(text);
  const shown = characters.length > MAX_SHOWN_CHARACTERS ? `${characters.slice(0, MAX_SHOWN_CHARACTERS - 1).join("")}\u2026` : text;
  return `<code>${escapeText(shown)}</code>`;
}
function wrappable(text) {
  const characters = Array.from(text);
  const shown = characters.length > MAX_SHOWN_CHARACTERS ? `${characters.slice(0, MAX_SHOWN_CHARACTERS - 1).join("")}\u2026` : text;
  return `<code>${breakPieces(shown).map(escapeText).join("<wbr>")}</code>`;
}
function breakPieces(text) {
  const pieces = [];
  let piece = "";
  let length = 0;
  for (const character of text) {
    piece += character;
    length += 1;
    if (/[/[,]$/.test(piece) || piece.endsWith("::") || piece.endsWith(" > ") || length >= 24) {
      pieces.push(piece);
      piece = "";
      length = 0;
    }
  }
  return piece === "" ? pieces : [...pieces, piece];
}
function escapeText(text) {
  return text.replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])|[^\p{L}\p{N} .,;:/=()_+-]/gu, (character) => {
    const code = character.codePointAt(0) ?? 0;
    return /[\p{C}\p{Z}]/u.test(character) ? `\\u${code.toString(16).padStart(4, "0")}` : `&#${code};`;
  });
}
function escapeAttribute(text) {
  return text.replace(/[&<>"']/g, (character) => `&#${character.codePointAt(0) ?? 0};`);
}

// src/verdict.ts
function verdict(report, settings) {
  const failures = [];
  const warnings2 = [];
  const merged = report.shards !== void 0;
  if (report.exitCode !== 0 && !merged) failures.push(`The test command exited with ${report.exitCode}.`);
  if (report.cancelled && !merged) failures.push("The job was cancelled: what was measured before it is reported.");
  const unmeasurable = nothingMeasuredProblem(report);
  if (unmeasurable !== void 0) (settings.onNothingMeasured === "fail" ? failures : warnings2).push(unmeasurable);
  const leaks = failingLeaks(report, settings.failOnLeak).length;
  if (leaks > 0) {
    const which = settings.failOnLeak === "new" ? " that did not leak in the base" : "";
    failures.push(`${leaks} test${leaks === 1 ? "" : "s"}${which} leaked more than ${formatSize(report.limit)}.`);
  }
  return { failures, warnings: warnings2 };
}
var NOT_FOUND = /* @__PURE__ */ new Set([127, 9009]);
var SET_WARN = "To let such runs pass with a warning instead, set 'on-nothing-measured: warn'.";
function nothingMeasuredProblem(report) {
  const { coverage } = report;
  if (coverage.unsupported.length > 0) {
    return `leakwatch cannot measure what ran: ${coverage.unsupported.join("; ")}. ${SET_WARN}`;
  }
  if (!measuredNothing(report) || report.cancelled) return void 0;
  const cause = NOT_FOUND.has(report.exitCode) ? `the test command was not found (it exited with ${report.exitCode}): check its spelling, and that the runner is installed on the path` : coverage.reasons.join("; ") || "no test reported a figure";
  return `Nothing was measured, so no leak could be found: ${cause}. ${SET_WARN}`;
}

// src/merge.ts
var NO_LIMIT = 1e7;
var ReportMerger = class {
  constructor(options) {
    this.options = options;
    const base = options.base;
    this.comparer = base === void 0 ? void 0 : new Comparer(base.report, base.source, base.threshold);
    this.baselineProblem = options.baselineProblem ?? null;
  }
  options;
  summaries = [];
  shown = [];
  incomplete = [];
  unmeasured = [];
  warnings = [];
  commands = [];
  coverage = { collected: null, measured: 0, unmeasured: 0, reasons: [], unsupported: [] };
  memory;
  processes = 0;
  comparer;
  baselineProblem;
  whyNoReports = "no shard left a report";
  /**
   * Adds one shard's report (checked: see src/report-schema.ts), under a label no other shard has. Returns its tests,
   * each marked with the label, for the caller to write out; they are not kept.
   */
  add(label, report) {
    const { tests } = report;
    for (const test of tests) {
      test.shard = label;
      const change = this.comparer?.add(test);
      if (test.verdict !== "ok" || change !== void 0) this.shown.push(test);
    }
    this.incomplete.push(...report.incomplete.map((test) => ({ ...test, shard: label })));
    this.unmeasured.push(...report.unmeasured.map((test) => ({ ...test, shard: label })));
    this.warnings.push(...report.warnings.map((warning) => `shard ${label}: ${warning}`));
    if (!this.commands.includes(report.command)) this.commands.push(report.command);
    this.addCoverage(label, report.coverage);
    this.summaries.push({
      label,
      command: report.command,
      runner: report.runner,
      limit: report.limit,
      confirmRuns: report.confirmRuns,
      exitCode: report.exitCode,
      cancelled: report.cancelled,
      peak: report.peak,
      tests: tests.length,
      leaks: tests.filter((test) => test.leaked).length,
      unmeasured: report.coverage.unmeasured,
      incomplete: report.incomplete.length,
      commit: report.shard?.commit ?? null,
      job: report.shard?.job ?? null
    });
    this.processes += new Set(tests.map((test) => test.worker)).size;
    const series = memorySeries(tests, label);
    if (series !== void 0 && (this.memory === void 0 || series.kept > this.memory.kept)) this.memory = series;
    if (this.comparer !== void 0 && this.coverage.measured > BASE_LIMITS.tests) {
      this.comparer = void 0;
      this.baselineProblem = `the merged report has more than ${BASE_LIMITS.tests.toLocaleString("en-US")} tests, more than leakwatch compares with a base`;
    }
    return tests;
  }
  /** Says why no shard's report is here, when none is: the run's artifacts could not be listed, say. */
  noReports(why) {
    this.whyNoReports = why;
  }
  addCoverage(label, coverage) {
    const merged = this.coverage;
    if (coverage.collected !== null || merged.collected !== null) {
      const before = merged.collected ?? this.coverage.measured + this.coverage.unmeasured;
      merged.collected = before + (coverage.collected ?? coverage.measured + coverage.unmeasured);
    }
    merged.measured += coverage.measured;
    merged.unmeasured += coverage.unmeasured;
    merged.reasons.push(...coverage.reasons.map((reason) => `shard ${label}: ${reason}`));
    merged.unsupported.push(...coverage.unsupported.map((runner) => `shard ${label}: ${runner}`));
  }
  /** The merged report, with the shards expected that left no report (`missing`, each named in a warning too). */
  finish(missing) {
    const shards = [...this.summaries].sort((a, b) => compareLabels(a.label, b.label));
    const peaks = shards.flatMap((shard) => shard.peak === null ? [] : [shard.peak]);
    const peak = peaks.length === 0 ? null : Math.max(...peaks);
    const runners = [...new Set(shards.flatMap((shard) => shard.runner.split(", ")).filter((name2) => name2 !== "auto"))];
    const coverage = { ...this.coverage, reasons: [...this.coverage.reasons] };
    if (shards.length === 0) coverage.reasons.push(this.whyNoReports);
    const warnings2 = [
      ...missing.map((shard) => `shard ${shard.label}: ${shard.why}.`),
      ...limitsWarning(shards),
      ...this.warnings
    ];
    const report = {
      version: REPORT_VERSION,
      tool: { name: "leakwatch", version: this.options.toolVersion },
      // One per line where the shards ran different commands (pytest-split's groups): `shards` has each one's.
      command: this.commands.join("\n"),
      runner: runners.join(", ") || "auto",
      // The smallest: every leak kept more than it, each by its own shard's limit (a warning says when they differ).
      limit: shards.length === 0 ? NO_LIMIT : Math.min(...shards.map((shard) => shard.limit)),
      confirmRuns: Math.max(0, ...shards.map((shard) => shard.confirmRuns)),
      // The first shard's that failed: each failed in its own job already.
      exitCode: shards.find((shard) => shard.exitCode !== 0)?.exitCode ?? 0,
      peak,
      tests: this.shown,
      incomplete: this.incomplete,
      unmeasured: this.unmeasured,
      warnings: warnings2,
      coverage,
      cancelled: shards.some((shard) => shard.cancelled),
      comparison: this.comparer?.finish(peak) ?? null,
      baselineProblem: this.baselineProblem,
      shards,
      missingShards: [...missing]
    };
    const memory = this.memory === void 0 ? void 0 : { ...this.memory, processes: this.processes };
    return { report, memory };
  }
};
function limitsWarning(shards) {
  const byLimit = /* @__PURE__ */ new Map();
  for (const shard of shards) byLimit.set(shard.limit, [...byLimit.get(shard.limit) ?? [], shard.label]);
  if (byLimit.size < 2) return [];
  const parts = [...byLimit].map(([limit, labels]) => `${formatSize(limit)} (shard ${labels.join(", ")})`);
  return [
    `The shards used different limits: ${parts.join(", ")}. Each test was judged by its own shard's limit; give every shard the same limit for one verdict.`
  ];
}
function compareLabels(a, b) {
  return a.localeCompare(b, "en", { numeric: true });
}

// src/report-file.ts
import { open as open2 } from "node:fs/promises";
var TESTS_A_WRITE = 1e4;
var ReportWriter = class _ReportWriter {
  constructor(handle) {
    this.handle = handle;
  }
  handle;
  tests = 0;
  /** The write under way: the next piece is made meanwhile, and written after it. */
  writing = Promise.resolve();
  /** Starts the report at `file`: its version and tool, then its tests as they are added. */
  static async create(file, start) {
    const handle = await open2(file, "w");
    const head = JSON.stringify({ version: start.version, tool: start.tool }, null, 2);
    try {
      await handle.write(`${head.slice(0, -2)},
  "tests": [`);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new _ReportWriter(handle);
  }
  async addTests(tests) {
    for (let start = 0; start < tests.length; start += TESTS_A_WRITE) {
      const text = JSON.stringify(tests.slice(start, start + TESTS_A_WRITE)).slice(1, -1).replaceAll('},{"id":', '},\n    {"id":');
      const separator = this.tests === 0 ? "\n    " : ",\n    ";
      this.tests += Math.min(TESTS_A_WRITE, tests.length - start);
      await this.writing;
      this.writing = this.handle.write(separator).then(() => this.handle.write(text));
      this.writing.catch(() => void 0);
    }
  }
  /** Ends the report with the rest of it (its `tests` are those added), and closes the file. */
  async finish(rest) {
    try {
      await this.writing;
      const tail = JSON.stringify(rest, null, 2);
      await this.handle.write(`${this.tests === 0 ? "" : "\n  "}],
${tail.slice(2)}
`);
    } finally {
      await this.handle.close();
    }
  }
  /** Closes the file, unfinished: a write failed. */
  async abandon() {
    await this.writing.catch(() => void 0);
    await this.handle.close().catch(() => void 0);
  }
};

// src/report-schema.ts
var validator;
async function compile() {
  const [{ default: Ajv }, { default: schema }] = await Promise.all([
    import("./2020-6WFCJKKF.js"),
    import("./report.schema-CLXIKP3J.js")
  ]);
  return new Ajv({ allowUnionTypes: true }).compile(schema);
}
async function reportProblem(value) {
  validator ??= compile();
  const validate = await validator;
  if (validate(value)) return void 0;
  const [error] = validate.errors ?? [];
  return error === void 0 ? "it is not a leakwatch report" : describe(error);
}
function describe(error) {
  const where = error.instancePath === "" ? "the report" : `its field ${error.instancePath}`;
  const extra = error.keyword === "additionalProperties" ? ` (${String(error.params.additionalProperty)})` : "";
  return `${where} ${error.message ?? `fails ${error.keyword}`}${extra}`;
}

// src/merge-shards.ts
async function readShards(sources, merger, writer, {
  expect,
  cancel,
  onWriteFailure
}) {
  const reported = [];
  const refused = [];
  let output = writer;
  const readSource = (source) => source?.read().catch((error) => ({
    problem: `it could not be read: ${error instanceof Error ? error.message : String(error)}`
  }));
  let reading = readSource(sources[0]);
  for (const [index, source] of sources.entries()) {
    if (cancel?.aborted === true) {
      refused.push({ label: source.label, why: "it was not merged: the job was cancelled first" });
      continue;
    }
    const read = await reading;
    reading = readSource(sources[index + 1]);
    if (read === void 0 || read === "not ours") continue;
    const checked = "problem" in read ? read.problem : await checkShard(read.text, source, expect);
    if (typeof checked === "string") {
      refused.push({ label: source.label, why: `${source.what} was refused: ${checked}` });
      continue;
    }
    if (reported.some((shard) => shard.label === checked.label)) {
      refused.push({
        label: source.label,
        why: `${source.what} was refused: another report is shard ${checked.label} too`
      });
      continue;
    }
    const tests = merger.add(checked.label, checked.report);
    reported.push({ label: checked.label, origin: checked.report.shard });
    if (output !== void 0) {
      try {
        await output.addTests(tests);
      } catch (error) {
        await output.abandon();
        output = void 0;
        onWriteFailure(error);
      }
    }
  }
  return { reported, refused, writer: output };
}
async function finishMerge(merger, writer, missing, onWriteFailure) {
  const view = merger.finish(missing);
  if (writer === void 0) return { ...view, written: false };
  try {
    await writer.finish(withoutTests(view.report));
    return { ...view, written: true };
  } catch (error) {
    onWriteFailure(error);
    return { ...view, written: false };
  }
}
async function startMergedFile(file, toolVersion2, onWriteFailure) {
  try {
    return await ReportWriter.create(file, {
      version: REPORT_VERSION,
      tool: { name: "leakwatch", version: toolVersion2 }
    });
  } catch (error) {
    onWriteFailure(error);
    return void 0;
  }
}
async function checkShard(text, source, expect) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "it is not JSON";
  }
  const problem = await reportProblem(parsed);
  if (problem !== void 0) return `it is not a leakwatch report of this version: ${problem}`;
  const report = parsed;
  if (report.shards !== void 0) return "it is a merged report already: merge the shards' own reports";
  const origin = report.shard;
  if (origin === void 0) {
    return source.strict ? "it is not a shard's report (saved by a step with publish: merge-later)" : { label: source.label, report };
  }
  if (source.strict && origin.label !== source.label) return `its report says it is shard ${origin.label}`;
  if (expect.reportName !== void 0 && origin.reportName !== expect.reportName) {
    return `it is a shard of report ${origin.reportName}, not of ${expect.reportName}`;
  }
  if (expect.commit !== void 0 && expect.commit !== "" && origin.commit !== expect.commit) {
    return `its tests ran on commit ${origin.commit.slice(0, 12)}, not on the run's head ${expect.commit.slice(0, 12)}`;
  }
  return { label: origin.label, report };
}
function withoutTests(report) {
  const rest = { ...report };
  delete rest.version;
  delete rest.tool;
  delete rest.tests;
  return rest;
}

export {
  formatSize,
  findingsOf,
  renderTerminal,
  printLines,
  printLine,
  inert,
  cancelOnSignals,
  parseBaseReport,
  failingLeaks,
  compareWithBase,
  MAX_BASE_REPORT_BYTES,
  readBaseFile,
  readRegularFile,
  shardLabel,
  missingShards,
  InputError,
  readActionSettings,
  CLI_USAGE,
  MERGE_USAGE,
  readMergeCliSettings,
  readCliSettings,
  toolVersion,
  measure,
  annotationsFor,
  SUMMARY_MAX_BYTES,
  COMMENT_MAX_BYTES,
  renderMarkdown,
  verdict,
  nothingMeasuredProblem,
  ReportMerger,
  readShards,
  finishMerge,
  startMergedFile
};
