"""`SpikingNetwork`: Diehl & Cook's STDP network behind the probing interface."""

from __future__ import annotations

import hashlib
import warnings

import numpy as np

from probes.interface import (
    Ablate,
    Clamp,
    Recording,
    Retime,
    SpikeEvents,
    Steer,
    check_interventions,
    check_sites,
    retimed_steps,
)
from probes.support import (
    BackendError,
    DataError,
    FiringWarning,
    InterventionError,
    check_inputs,
    check_labels,
    load_arrays,
    make_readout,
    readout_from_arrays,
    readout_to_arrays,
    save_arrays,
    split_prefix,
)

from .config import SNNConfig
from .encoding import (
    Events,
    check_input_spikes,
    content_seed,
    empty_events,
    encode,
    events_from_steps,
    poisson_batch,
    sample_seeds,
    select_rows,
    spike_rows,
    time_to_step,
)
from .engines import Batch, NetState, SimResult, select_engine
from .kernel import NEVER

_TAG_RECORD, _TAG_CLAMP, _TAG_TRAIN, _TAG_INIT, _TAG_RETIME, _TAG_RECURRENT = 1, 2, 3, 4, 5, 6


def init_state(cfg: SNNConfig, n_inputs: int, seeds) -> NetState:
    """Fresh replicas: weights (U(0,1) + 0.01) * w_init, delays uniform in [0, delay_ms] on the dt
    grid, and with ``delay_recurrent_ms > 0`` recurrent delays uniform in [0, delay_recurrent_ms]
    (drawn from a stream of their own: the other draws stay those of a network without them)."""
    ws, ds, ei, ie = [], [], [], []
    N = cfg.n_neurons
    for seed in seeds:
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), _TAG_INIT]))
        ws.append((rng.random((n_inputs, N)) + 0.01) * cfg.w_init)
        # Delays are drawn uniformly, then put on the dt grid, so every simulator rounds them alike.
        ds.append(np.rint(rng.random((n_inputs, N)) * cfg.delay_ms / cfg.dt_ms).astype(np.int64))
        if cfg.delay_recurrent_ms > 0:
            rec = np.random.default_rng(np.random.SeedSequence([int(seed), _TAG_RECURRENT]))
            steps = lambda shape, rec=rec: np.rint(rec.random(shape) * cfg.delay_recurrent_ms / cfg.dt_ms)  # noqa: E731
            ei.append(steps(N).astype(np.int16))
            ie.append(steps((N, N)).astype(np.int16))
    R = len(ws)
    return NetState(
        w=np.stack(ws),
        theta=np.full((R, N), cfg.theta_init_mv),
        delay_steps=np.stack(ds),
        lastpre=np.full((R, n_inputs, N), NEVER, np.int64),
        lastpost=np.full((R, N), NEVER, np.int64),
        clock=np.zeros(R, np.int64),
        delay_ei_steps=np.stack(ei) if ei else None,
        delay_ie_steps=np.stack(ie) if ie else None,
    )


class SpikingNetwork:
    """scikit-learn style: ``SpikingNetwork(SNNConfig(n_neurons=100), seed=0).fit(x, y)``.

    Sites: ``"exc"`` and ``"inh"`` (``n_neurons`` each). Fitted attributes: ``config_`` (the
    config with input-size dependent values resolved), ``theta_`` ``[n_neurons]`` mV,
    ``delays_ms_`` ``[n_inputs, n_neurons]``, ``w_`` ``[n_inputs, n_neurons]``, ``readout_``,
    ``steer_gain_`` (mV of steering current per unit of direction, calibrated so one unit
    moves a unit's spike count by about one), ``history_`` (per-epoch mean excitatory spikes
    per presentation and number of retries), ``n_inputs_``, ``kind_``.
    """

    record_seed: int | None = None  # seed of recording draws when set by using(record_seed=...)

    def __init__(self, config: SNNConfig | None = None, *, seed: int = 0):
        self.config = config if config is not None else SNNConfig()
        if not isinstance(self.config, SNNConfig):
            raise DataError(f"config must be an SNNConfig, got {type(self.config).__name__}")
        self.seed = seed
        self.name = "snn"

    # --- Probeable ---------------------------------------------------------------------
    def sites(self) -> dict[str, int]:
        return {"exc": self.config.n_neurons, "inh": self.config.n_neurons}

    def weights(self) -> dict[str, np.ndarray]:
        self._check_fitted()
        return {"input->exc": self.w_.copy()}

    def __repr__(self) -> str:
        """``SpikingNetwork(n_neurons=100, seed=0, fitted on 64 inputs)``: config fields that
        differ from the defaults, the seed, and whether it is fitted."""
        changed = repr(self.config)[len("SNNConfig(") : -1]
        state = f"fitted on {self.n_inputs_} inputs" if hasattr(self, "_state") else "not fitted"
        return f"SpikingNetwork({changed + ', ' if changed else ''}seed={self.seed}, {state})"

    @property
    def _engine(self):
        if getattr(self, "_engine_obj", None) is None:
            _check_device(self.config.device)
            self._engine_obj = select_engine(self.config)
        return self._engine_obj

    def _steps(self, cfg) -> tuple[int, int]:
        return int(round(cfg.presentation_ms / cfg.dt_ms)), int(round(cfg.rest_ms / cfg.dt_ms))

    def record(self, x, *, sites=None, interventions=(), bin_ms=None, input_spikes=None) -> Recording:
        """Present each row of ``x`` ``[n_samples, n_inputs]`` with frozen weights and theta.

        Every presentation starts from the resting state, so a sample's spikes do not depend
        on the batch it is in. Poisson inputs are seeded by (seed, the input's bytes); pass
        ``input_spikes=(sample, input, time_ms)`` to give the input events explicitly.
        Returns spike counts per ``bin_ms`` bin over the presentation window and exact events.
        """
        self._check_fitted()
        cfg = self.config_
        if cfg.w_inh_exc_test is not None:  # the lateral inhibition used when recording
            cfg = cfg.replace(w_inh_exc=cfg.w_inh_exc_test)
        x = check_inputs(x, self.n_inputs_)
        all_sites = self.sites()
        sites = check_sites(sites, all_sites)
        ivs = check_interventions(interventions, all_sites)
        bin_ms = cfg.bin_ms if bin_ms is None else float(bin_ms)
        n_pres, _ = self._steps(cfg)
        bin_steps = int(round(bin_ms / cfg.dt_ms))
        if bin_steps < 1 or abs(bin_steps * cfg.dt_ms - bin_ms) > 1e-9:
            raise DataError(f"bin_ms={bin_ms:g} must be a positive multiple of dt_ms={cfg.dt_ms:g}")
        given = None
        if input_spikes is not None:
            given = check_input_spikes(input_spikes, len(x), self.n_inputs_, cfg.dt_ms, n_pres)
        retimed = self._retime(x, ivs, bin_ms, input_spikes, cfg, n_pres)
        counts = {"exc": [], "inh": []}
        events = {"exc": [], "inh": []}
        levels = np.zeros(len(x), np.int64)
        for start in range(0, len(x), cfg.batch_size):
            xb = x[start : start + cfg.batch_size]
            res, levels[start : start + len(xb)] = self._simulate(
                cfg, xb, ivs, given, start, n_pres, bin_steps, retimed
            )
            for site, c, ev in (("exc", res.counts_e, res.events_e), ("inh", res.counts_i, res.events_i)):
                counts[site].append(c)
                b, unit, step = ev
                events[site].append((b + start, unit, step))
        # one batch (the usual case) is used as it is: no copy of the [n, n_bins, N] counts
        join = lambda parts: parts[0] if len(parts) == 1 else np.concatenate(parts)  # noqa: E731
        activity = {s: join(counts[s]) for s in sites}
        joined = {s: [join([e[k] for e in parts]) for k in range(3)] for s, parts in events.items()}
        spikes = {s: SpikeEvents.make(joined[s][0], joined[s][1], joined[s][2] * cfg.dt_ms) for s in sites}
        # spikes per sample and unit over the window, from the events (a few thousand) rather
        # than by summing the [n, n_bins, N] counts (millions of cells)
        b_e, unit_e, _ = joined["exc"]
        exc_counts = (
            np.bincount(b_e * cfg.n_neurons + unit_e, minlength=len(x) * cfg.n_neurons)
            .reshape(len(x), cfg.n_neurons)
            .astype(np.float32)
        )
        if getattr(self, "readout_window_ms_", None):  # read over another window: counts at the fitted window
            exc_counts = exc_counts * np.float32(self.readout_window_ms_ / (n_pres * cfg.dt_ms))
        outputs = self.readout_.decision_function(exc_counts) if hasattr(self, "readout_") else np.zeros((len(x), 1))
        meta = {
            "model": self.name,
            "seed": self.seed,
            "record_seed": self._draw_seed,
            "bin_ms": bin_ms,
            "duration_ms": n_pres * cfg.dt_ms,
            "dt_ms": cfg.dt_ms,
            "kind": self.kind_,
            "threshold": 0.5,
            "backend": cfg.backend,
            "engine": self._engine.name,
            **_firing_summary(
                exc_counts.sum(axis=1),
                levels,
                cfg,
                x.max(axis=1) == 0,
                retried=_retriable(cfg, given) and cfg.retry_silent and cfg.learning == "stdp",
            ),
        }
        if not ivs and len(x) >= 20 and meta["silent_share"] > 0.05:
            if cfg.learning == "surrogate":  # no weight normalisation: weight_sum is not read
                fix = "it learned to stay silent on these inputs; train longer (surrogate_epochs) or on more data"
            elif not _retriable(cfg, given):
                fix = "raise weight_sum (given input events and latency codes are never retried)"
            else:
                fix = "train longer, raise input_rate_hz or weight_sum"
            warnings.warn(
                f"{meta['silent_share']:.0%} of the {len(x)} non-blank inputs made no excitatory spike "
                f"({meta['spikes_per_sample']:.1f} spikes per sample): the network is near silent, its scores "
                f"mean little; {fix}",
                FiringWarning,
                stacklevel=2,
            )
        return Recording(activity, outputs, spikes, meta)

    def predict(self, x) -> np.ndarray:
        return self.record(x, sites=[]).predictions

    # --- timing-only interventions -----------------------------------------------------------
    def _retime(self, x, ivs, bin_ms, input_spikes, cfg, n_pres) -> dict:
        """For each :class:`Retime` (by its index in ``ivs``): ``(sample, step, unit)`` arrays of
        the units' spikes redrawn in time, counts taken from a recording with the other
        interventions. Empty when there is no Retime."""
        which = [k for k, iv in enumerate(ivs) if isinstance(iv, Retime)]
        if not which:
            return {}
        others = [iv for iv in ivs if not isinstance(iv, Retime)]
        retimed_sites = sorted({ivs[k].site for k in which})
        pre = self.record(x, sites=retimed_sites, interventions=others, bin_ms=bin_ms, input_spikes=input_spikes)
        out = {}
        for k in which:
            iv = ivs[k]
            ms = cfg.refractory_exc_ms if iv.site == "exc" else cfg.refractory_inh_ms
            gap = max(1, int(round(ms / cfg.dt_ms)))
            counts = pre.counts(iv.site)[:, list(iv.units)].astype(np.int64)  # [n, len(units)]
            rng = np.random.default_rng(np.random.SeedSequence([self.seed, iv.seed, _TAG_RETIME]))
            steps = retimed_steps(counts.ravel(), n_pres, gap, rng)
            lengths = [len(s) for s in steps]
            sample = np.repeat(np.repeat(np.arange(len(x)), counts.shape[1]), lengths)
            unit = np.repeat(np.tile(np.asarray(iv.units), len(x)), lengths)
            out[k] = (sample, np.concatenate(steps).astype(np.int64), unit)
        return out

    # --- silent presentations ----------------------------------------------------------------
    def _simulate(self, cfg, xb, ivs, given, start, n_pres, bin_steps, retimed=None):
        """Simulate the samples ``xb``; returns ``(SimResult, retry level per sample)``.

        D&C's rule, also at test time (``retry_silent``): a sample whose presentation makes
        fewer than ``min_spikes`` excitatory spikes is presented again with the input rate
        raised by ``rate_step_hz``, up to ``max_retries`` times. Under interventions each
        sample keeps the rate its *clean* presentation needed, so a retry never undoes an
        ablation. Given input events and latency codes are never retried (:func:`_retriable`), nor
        is a network trained by surrogate gradient (it was trained and its readout fitted without
        retries).
        """
        retry = cfg.retry_silent and cfg.learning == "stdp" and _retriable(cfg, given) and cfg.max_retries > 0
        levels = np.zeros(len(xb), np.int64)
        if retry and ivs:
            levels = self._clean_levels(cfg, xb, n_pres, bin_steps)
        run = lambda rows, lv: self._engine.simulate(  # noqa: E731
            cfg,
            self._state,
            self._batch(xb[rows], ivs, given, start, n_pres, lv, retimed),
            plastic=False,
            n_steps=n_pres,
            n_rec=n_pres,
            bin_steps=bin_steps,
        )
        res = run(slice(None), levels)
        if not retry or ivs:
            return res, levels
        blank = xb.max(axis=1) == 0  # no input spikes at any rate: nothing to retry
        while True:
            n_exc = np.bincount(res.events_e[0], minlength=len(xb))
            redo = np.flatnonzero((n_exc < cfg.min_spikes) & (levels < cfg.max_retries) & ~blank)
            if len(redo) == 0:
                break
            levels[redo] += 1
            res = _replace_samples(res, redo, run(redo, levels[redo]))
        self._levels_memo.update(zip(_row_keys(xb), levels.tolist()))
        return res, levels

    def _clean_levels(self, cfg, xb, n_pres, bin_steps) -> np.ndarray:
        """The retry level each sample's clean presentation needs (remembered per input row)."""
        keys = _row_keys(xb)
        missing = [i for i, k in enumerate(keys) if k not in self._levels_memo]
        if missing:
            self._simulate(cfg, xb[missing], (), None, 0, n_pres, bin_steps)
        return np.array([self._levels_memo[k] for k in keys], np.int64)

    @property
    def _levels_memo(self) -> dict:
        if getattr(self, "_memo", None) is None:
            self._memo = {}
        return self._memo

    @property
    def _draw_seed(self) -> int:
        return self.seed if self.record_seed is None else self.record_seed

    # --- building a batch -----------------------------------------------------------------
    def _input_events(self, xb: np.ndarray, given, offset: int, n_pres: int, levels=None) -> Events:
        cfg = self.config_
        if given is not None:
            return select_rows(given, np.arange(offset, offset + len(xb)))
        rate = cfg.input_rate_hz
        if levels is not None and levels.any():  # float32 rates per row: rows at level 0 keep their bits
            per_row = np.minimum(cfg.input_rate_hz + cfg.rate_step_hz * levels, 1000.0 / cfg.dt_ms)
            rate = per_row.astype(np.float32)[:, None]
        return encode(
            cfg,
            xb,
            rate,
            sample_seeds(self._draw_seed, _TAG_RECORD, xb),
            n_pres,
            rngs=lambda: [np.random.default_rng(content_seed(self._draw_seed, _TAG_RECORD + 100, row)) for row in xb],
        )

    def _batch(self, xb, ivs, given, offset, n_pres, levels=None, retimed=None) -> Batch:
        cfg = self.config_
        N = cfg.n_neurons
        B = len(xb)
        forced, override, steer = {}, {}, {}
        for site in ("exc", "inh"):
            owner = np.full(N, -1)  # the last intervention that owns each unit
            for k, iv in enumerate(ivs):
                if iv.site == site and not isinstance(iv, Steer):
                    owner[list(iv.units)] = k
            override[site] = owner >= 0
            bs, ss, us = [], [], []
            for k, iv in enumerate(ivs):
                if iv.site != site or isinstance(iv, (Steer, Ablate)):
                    continue
                units = np.array([u for u in iv.units if owner[u] == k], np.int64)
                if len(units) == 0:
                    continue
                if isinstance(iv, Retime):  # the redrawn trains of this batch's samples
                    sample, step, unit = retimed[k]
                    mine = (sample >= offset) & (sample < offset + B) & np.isin(unit, units)
                    bs.append(sample[mine] - offset)
                    ss.append(step[mine])
                    us.append(unit[mine])
                elif isinstance(iv, Clamp):
                    values = iv.values()[[list(iv.units).index(u) for u in units]]
                    if (values < 0).any():
                        raise InterventionError(
                            f"Clamp.value={iv.value!r} on a spiking site is a spike count per "
                            "presentation: give values >= 0"
                        )
                    rate_hz = values / (n_pres * cfg.dt_ms / 1000.0)
                    b, step, j = poisson_batch(
                        np.tile(rate_hz, (B, 1)),
                        sample_seeds(self._draw_seed, 100 * _TAG_CLAMP + k, xb),
                        n_pres,
                        cfg.dt_ms,
                    )
                    bs.append(b)
                    ss.append(step)
                    us.append(units[j])
                else:  # Patch: replay the source's exact spike trains in every sample
                    src = iv.source.spikes.get(site)
                    if src is None:
                        raise InterventionError(
                            f"Patch.source holds no spike events for site {site!r}: record the "
                            "source from a spiking network"
                        )
                    ev = src.select(iv.index)
                    keep = np.isin(ev.unit, units)
                    step = time_to_step(ev.time_ms[keep], cfg.dt_ms)
                    unit = ev.unit[keep]
                    ok = step < n_pres
                    # one spike per unit and step (a source recorded at a finer dt may have two)
                    step, unit = np.unique(np.stack([step[ok], unit[ok]]), axis=1)
                    for b in range(B):
                        bs.append(np.full(len(step), b))
                        ss.append(step)
                        us.append(unit)
            forced[site] = (
                events_from_steps(np.concatenate(bs), np.concatenate(ss), np.concatenate(us), B, n_pres)
                if bs
                else empty_events(B, n_pres)
            )
            vec = np.zeros(N)
            for iv in ivs:
                if iv.site == site and isinstance(iv, Steer):
                    vec += iv.vector() * self.steer_gain_[site]
            steer[site] = vec
        return Batch(
            replica=np.zeros(B, np.int64),
            inputs=self._input_events(xb, given, offset, n_pres, levels),
            forced_e=forced["exc"],
            override_e=override["exc"],
            forced_i=forced["inh"],
            override_i=override["inh"],
            steer_e=steer["exc"],
            steer_i=steer["inh"],
        )

    # --- training ---------------------------------------------------------------------------
    def fit(self, x, y, *, input_spikes=None, progress: bool = False) -> SpikingNetwork:
        """Train with STDP one sample at a time (``epochs`` passes in a seeded random order),
        then fit the readout on the frozen network's spike counts for ``x``; with
        ``learning="surrogate"``, by surrogate gradient with a trained linear readout (:mod:`snn.surrogate`).

        ``input_spikes=(sample, input, time_ms)``: the input events of every row of ``x``
        (sample indices into ``x``, times in ``[0, presentation_ms)``), presented instead of
        Poisson trains from ``x`` in training, in the readout's recording and in the steering
        calibration (see :meth:`fit_replicas`). ``x`` ``[n, n_inputs]`` still gives the number
        of samples and inputs and resolves the input-size dependent config values."""
        (net,) = SpikingNetwork.fit_replicas(
            self.config, [self.seed], x, y, input_spikes=input_spikes, progress=progress, _into=[self]
        )
        return net

    @classmethod
    def fit_replicas(
        cls, config: SNNConfig, seeds, x, y, *, input_spikes=None, progress: bool = False, _into=None
    ) -> list[SpikingNetwork]:
        """Train ``len(seeds)`` independent networks at once (one per seed, each with its own
        weights, delays, input trains and sample order); network r equals
        ``SpikingNetwork(config, seed=seeds[r]).fit(x, y)``.

        With ``input_spikes=(sample, input, time_ms)`` (checked as :meth:`record` checks them)
        every presentation of row i shows exactly its events, in every replica and epoch: no
        Poisson draws, no jitter, and no retries (D&C's retry raises the input rate; given
        events have none, so a presentation below ``min_spikes`` is kept as it is, as
        :meth:`record` never retries given events). ``learning="surrogate"`` trains on the
        same events (:func:`snn.surrogate.train_surrogate`)."""
        x = check_inputs(x, name="x")
        y, kind, n_out = check_labels(y, len(x), "y")
        seeds = [int(s) for s in seeds]
        if not seeds:
            raise DataError("fit_replicas needs at least one seed")
        cfg = config.resolved(x.shape[1], float(x.mean()))
        nets = _into if _into is not None else [cls(config, seed=s) for s in seeds]
        if cfg.learning == "surrogate":  # gradient training, one network at a time (snn.surrogate)
            from .surrogate import fit_surrogate

            return [fit_surrogate(net, x, y, kind, n_out, progress=progress, input_spikes=input_spikes) for net in nets]
        given = None
        if input_spikes is not None:
            given = check_input_spikes(input_spikes, len(x), x.shape[1], cfg.dt_ms, nets[0]._steps(cfg)[0])
        state = init_state(cfg, x.shape[1], seeds)
        engine = nets[0]._engine
        history = train_stdp(engine, cfg, state, x, seeds, progress, given=given)
        for r, net in enumerate(nets):
            net.config_ = cfg
            net.n_inputs_ = x.shape[1]
            net.kind_ = kind
            net._state = state.replica(r)
            net._engine_obj = engine if len(nets) == 1 else None
            net._memo = None
            net.history_ = history[r]
            _check_training(history[r], cfg, len(x), given=not _retriable(cfg, given))
            net._set_views()
            net.fit_readout(x, y, input_spikes=input_spikes)
            net._calibrate_steering(x, input_spikes=input_spikes)
        return nets

    def _set_views(self) -> None:
        self.w_ = self._state.w[0]
        self.theta_ = self._state.theta[0]
        self.delays_ms_ = self._state.delay_steps[0] * self.config_.dt_ms

    def fit_readout(self, x, y, *, input_spikes=None) -> SpikingNetwork:
        """Fit the readout (``config.readout``) on this network's spike counts for ``x``
        (presented as ``input_spikes=(sample, input, time_ms)`` when given, as in :meth:`record`);
        weights and theta stay as they are. Returns self. A network trained by surrogate gradient
        was trained with a linear readout of its counts: it is refitted as a logistic readout,
        whatever ``config.readout`` says (so a refit after a test-time change, e.g. of
        ``w_inh_exc_test``, keeps the kind of readout the network learned with)."""
        self._check_fitted()
        x = check_inputs(x, self.n_inputs_)
        y, self.kind_, _ = check_labels(y, len(x), "y")
        counts = self.record(x, sites=["exc"], input_spikes=input_spikes).counts("exc")
        kind = "logistic" if self.config_.learning == "surrogate" else self.config_.readout
        self.readout_ = make_readout(kind, self.kind_, self.seed).fit(counts, y)
        if not hasattr(self, "steer_gain_"):  # a network built from weights: calibrate steering too
            self._calibrate_steering(x, input_spikes=input_spikes)
        return self

    def _calibrate_steering(self, x, n_samples: int = 64, current_mv: float = 2.0, *, input_spikes=None) -> None:
        """Measure how many spikes a steering current adds and set ``steer_gain_`` so that one
        unit of direction adds about one spike per presentation.

        A random tenth of the units gets ``current_mv``; their mean count change is the slope
        (steering only a few units keeps the lateral inhibition close to normal).
        """
        self.steer_gain_ = {"exc": 1.0, "inh": 1.0}
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, 7]))
        rows = rng.choice(len(x), size=min(n_samples, len(x)), replace=False)
        xs = x[rows]
        ev = None if input_spikes is None else spike_rows(input_spikes, rows)  # the same samples' events
        N = self.config_.n_neurons
        units = rng.choice(N, size=max(1, N // 10), replace=False)
        gains = {}
        for site in ("exc", "inh"):
            base = self.record(xs, sites=[site], input_spikes=ev).counts(site)[:, units].mean()
            direction = np.zeros(N)
            direction[units] = 1.0
            self.steer_gain_[site] = 1.0
            steer = [Steer(site, direction, current_mv)]
            up = self.record(xs, sites=[site], interventions=steer, input_spikes=ev).counts(site)
            slope = (up[:, units].mean() - base) / current_mv  # spikes per mV
            gains[site] = float(1.0 / slope) if slope > 1e-6 else current_mv
        self.steer_gain_ = gains

    def using(self, **changes) -> SpikingNetwork:
        """A copy of this fitted network that is *run* differently; nothing is retrained.

        Run options (``SNNConfig.RUN_OPTIONS``: backend, brian2_target, engine, device, dtype,
        batch_size, bin_ms, retry_silent) change only the numerics, e.g.
        ``net.using(backend="brian2", dtype="float64")``. ``record_seed`` seeds the recording's
        Poisson draws (default: the network's seed), so ``using(record_seed=k)`` is an
        independent re-recording of the same trained network. Test-time conditions change what
        is recorded but not what was learned: ``presentation_ms`` (the recording window; the
        readout then reads counts rescaled to the window it was fitted on), ``jitter_ms`` (input
        jitter at test), ``w_inh_exc_test`` (test-time competition; the readout stays as fitted:
        call :meth:`fit_readout` to refit it) and ``delay_ms=0`` (every synaptic delay removed, the
        recurrent ones too: the synchronous version of the same weights).
        """
        import copy
        import dataclasses

        allowed = set(SNNConfig.RUN_OPTIONS) | {
            "presentation_ms", "jitter_ms", "w_inh_exc_test", "delay_ms", "record_seed",
        }  # fmt: skip
        bad = sorted(set(changes) - allowed)
        if bad:
            raise DataError(f"using() cannot change {bad}: only {sorted(allowed)} (other changes need a new fit)")
        if changes.get("delay_ms", 0.0) != 0.0:
            raise DataError(
                f"using(delay_ms={changes['delay_ms']!r}) is not allowed: a fitted network's delays can only be "
                "removed (delay_ms=0); other delays need a new fit"
            )
        other = copy.copy(self)
        if "record_seed" in changes:
            rs = changes.pop("record_seed")
            if rs is not None and (isinstance(rs, bool) or not isinstance(rs, (int, np.integer))):
                raise DataError(f"record_seed={rs!r} must be an integer (or None for the network's seed)")
            other.record_seed = None if rs is None else int(rs)
        if "presentation_ms" in changes and hasattr(self, "config_"):
            other.readout_window_ms_ = getattr(self, "readout_window_ms_", self.config_.presentation_ms)
        if "delay_ms" in changes:  # every delay: input->exc and the recurrent pathways
            changes["delay_recurrent_ms"] = 0.0
        other.config = dataclasses.replace(self.config, **changes)
        if hasattr(self, "config_"):
            other.config_ = dataclasses.replace(self.config_, **changes)
            if "delay_ms" in changes:
                other._state = self._state.without_delays()
                other._set_views()
        other._engine_obj = None
        other._memo = None
        return other

    def to_brian2(self, *, plastic: bool = False):
        """A ready Brian2 ``Network`` with the trained weights, theta and delays.

        Returns ``(network, objects)``; objects holds ``input`` (a ``SpikeGeneratorGroup``:
        give it events with ``set_spikes``), ``exc``, ``inh``, ``syn`` (input->exc, with the
        STDP rule when ``plastic``), ``mon_e`` and ``mon_i``. Units: ms, mV as in the config.
        """
        self._check_fitted()
        from .brian2_backend import build_network, recurrent_delays_ms

        rec = recurrent_delays_ms(self._state, 0, self.config_.dt_ms)
        return build_network(
            self.config_, self.w_, self.delays_ms_, self.theta_, plastic=plastic, recurrent_delays_ms=rec
        )

    _FORMAT = "scrutable.SpikingNetwork/1"

    def save(self, path) -> None:
        """Write the fitted network to ``.npz`` atomically (no pickles); :meth:`load` reads it back."""
        self._check_fitted()
        st = self._state
        meta = {
            "config": self.config.to_dict(),
            "config_": self.config_.to_dict(),
            "seed": self.seed,
            "n_inputs": self.n_inputs_,
            "kind": self.kind_,
            "history": self.history_,
            "steer_gain": self.steer_gain_,
        }
        arrays = {
            "w": st.w,
            "theta": st.theta,
            "delay_steps": st.delay_steps,
            "lastpre": st.lastpre,
            "lastpost": st.lastpost,
            "clock": st.clock,
        }
        if st.delay_ei_steps is not None:
            arrays.update(delay_ei_steps=st.delay_ei_steps, delay_ie_steps=st.delay_ie_steps)
        arrays.update({f"readout/{k}": v for k, v in readout_to_arrays(self.readout_).items()})
        save_arrays(path, self._FORMAT, meta, arrays)

    @classmethod
    def from_weights(cls, w_in, theta_mv=None, *, config: SNNConfig | None = None, seed: int = 0) -> SpikingNetwork:
        """A spiking network with given input->exc weights, for weights learned elsewhere (no learning here).

        ``w_in`` ``[n_inputs, n_neurons]`` (conductance units, clipped to ``[0, w_max]``, used as
        given: no normalisation); ``theta_mv`` ``[n_neurons]`` adaptive thresholds in mV (None:
        ``theta_init_mv``). Delays are drawn from ``seed`` as in :meth:`fit`. Call
        :meth:`fit_readout` on training data before recording predictions.
        """
        cfg = config if config is not None else SNNConfig()
        w = np.asarray(w_in, dtype=np.float64)
        if w.ndim != 2 or not np.isfinite(w).all():
            raise DataError(f"w_in has shape {w.shape} or non-finite values: give finite [n_inputs, n_neurons] weights")
        cfg = cfg.replace(n_neurons=w.shape[1]).resolved(w.shape[0])
        theta = np.full(w.shape[1], cfg.theta_init_mv) if theta_mv is None else np.asarray(theta_mv, np.float64)
        if theta.shape != (w.shape[1],) or not np.isfinite(theta).all():
            raise DataError(f"theta_mv has shape {theta.shape}: give finite [n_neurons] = ({w.shape[1]},) thresholds")
        net = cls(cfg, seed=seed)
        state = init_state(cfg, w.shape[0], [seed])
        state.w[0] = np.clip(w, 0.0, cfg.w_max)
        state.theta[0] = theta
        net.config_, net.n_inputs_, net.kind_, net._state = cfg, w.shape[0], "multiclass", state
        net.history_ = {"mean_exc_spikes": [], "retries": [], "retries_exhausted": [], "from_weights": True}
        net._memo = None
        net._set_views()
        return net

    @classmethod
    def load(cls, path) -> SpikingNetwork:
        meta, a = load_arrays(path, cls._FORMAT)
        try:
            net = cls(SNNConfig(**meta["config"]), seed=meta["seed"])
            net.config_ = SNNConfig(**meta["config_"])
            net._state = NetState(
                *(a[k] for k in ("w", "theta", "delay_steps", "lastpre", "lastpost", "clock")),
                a.get("delay_ei_steps"),
                a.get("delay_ie_steps"),
            )
            net.n_inputs_, net.kind_, net.history_ = meta["n_inputs"], meta["kind"], meta["history"]
            net.steer_gain_ = meta["steer_gain"]
            net.readout_ = readout_from_arrays(split_prefix(a, "readout/"))
        except (KeyError, TypeError) as exc:
            raise DataError(f"model file {str(path)!r} is incomplete ({exc}): save the model again") from None
        net._set_views()
        return net

    def _check_fitted(self) -> None:
        if not hasattr(self, "_state"):
            raise DataError("this spiking network is not fitted yet: call fit(x, y) first")


def _check_device(device: str) -> None:
    """A CUDA device on a torch build or machine without CUDA is a one-line error, not an assertion."""
    if device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise BackendError(
                f"snn.device={device!r} is not available: this torch build or machine has no CUDA "
                "(torch.cuda.is_available() is False); use device='cpu' or install a CUDA build of torch (docs/gpu.md)"
            )


def _row_keys(xb: np.ndarray) -> list[bytes]:
    """A key per input row (its bytes' digest) to remember the row's retry level."""
    return [hashlib.blake2b(row.tobytes(), digest_size=16).digest() for row in xb]


def _replace_samples(res: SimResult, rows: np.ndarray, sub: SimResult) -> SimResult:
    """``res`` with samples ``rows`` taken from ``sub`` (a simulation of those samples, in order)."""

    def events(ev, sub_ev):
        keep = ~np.isin(ev[0], rows)
        return tuple(np.concatenate([a[keep], b]) for a, b in zip(ev, (rows[sub_ev[0]], sub_ev[1], sub_ev[2])))

    counts_e, counts_i = np.array(res.counts_e), np.array(res.counts_i)  # copies: engines may reuse buffers
    counts_e[rows], counts_i[rows] = sub.counts_e, sub.counts_i
    return SimResult(counts_e, counts_i, events(res.events_e, sub.events_e), events(res.events_i, sub.events_i))


def _firing_summary(exc_per_sample, levels, cfg: SNNConfig, blank, retried: bool) -> dict:
    """Spikes per sample and the shares of samples that were silent or retried (``Recording.meta``).

    Shares count non-blank inputs only: an all-zero input makes no input spike at any rate.
    """
    live = exc_per_sample[~blank] if (~blank).any() else exc_per_sample
    return {
        "spikes_per_sample": float(exc_per_sample.mean()),
        "silent_share": float((live == 0).mean()),
        "below_min_share": float((live < cfg.min_spikes).mean()),
        "blank_share": float(blank.mean()),
        "retry_silent": bool(retried),
        "retried_share": float((levels > 0).mean()),
        "input_rate_hz": float(cfg.input_rate_hz),
    }


def train_stdp(
    engine, cfg: SNNConfig, state: NetState, x: np.ndarray, seeds, progress: bool = False, given: Events | None = None
) -> list[dict]:
    """STDP training of ``len(seeds)`` replicas held in ``state`` (updated in place): samples of
    ``x`` ``[n, n_inputs]`` are presented one at a time to every replica (replicas in parallel), in
    a seeded order, ``cfg.epochs`` times, with D&C's retries. ``cfg`` must be resolved
    (:meth:`SNNConfig.resolved`). ``given``: the input events of every sample (from
    :func:`~snn.encoding.check_input_spikes`, ``n_pres`` steps each), presented instead of
    Poisson trains from ``x``; they are never retried, nor are latency codes (:func:`_retriable`),
    so a presentation below ``min_spikes`` counts as exhausted at once.
    Returns each replica's history (mean excitatory spikes and retries per epoch)."""
    from tqdm.auto import tqdm

    R, n = len(seeds), len(x)
    retriable = _retriable(cfg, given)
    n_pres = int(round(cfg.presentation_ms / cfg.dt_ms))
    n_total = n_pres + int(round(cfg.rest_ms / cfg.dt_ms))
    rngs = [np.random.default_rng(np.random.SeedSequence([s, _TAG_TRAIN])) for s in seeds]
    orders = [np.concatenate([rng.permutation(n) for _ in range(cfg.epochs)]) for rng in rngs]
    pos = np.zeros(R, np.int64)
    retries = np.zeros(R, np.int64)
    total = n * cfg.epochs
    stats = [
        {
            "spikes": np.zeros(cfg.epochs),
            "presentations": np.zeros(cfg.epochs, np.int64),
            "retries": np.zeros(cfg.epochs, np.int64),
            "exhausted": np.zeros(cfg.epochs, np.int64),
        }
        for _ in range(R)
    ]
    N = cfg.n_neurons
    no_force = np.zeros(N, bool)
    bar = tqdm(
        total=R * total, desc=f"STDP training ({R} network{'s' if R > 1 else ''})", disable=not progress, unit="sample"
    )
    while True:
        active = np.flatnonzero(pos < total)
        if len(active) == 0:
            break
        B = len(active)
        if cfg.normalize:  # D&C: each neuron's incoming weights rescaled to weight_sum before a presentation
            for r in active:
                w = state.w[r]
                w *= cfg.weight_sum / np.maximum(w.sum(axis=0, keepdims=True), 1e-300)
        rows = np.array([orders[r][pos[r]] for r in active], np.int64)  # each replica's training row, once
        if given is not None:  # the given events, padded with the rest (no draws, no retries)
            inputs = _with_rest(select_rows(given, rows), n_total)
        else:
            inputs = _poisson_training_inputs(cfg, x[rows], active, rngs, retries, n_pres, n_total)
        batch = Batch(
            replica=active.astype(np.int64),
            inputs=inputs,
            forced_e=empty_events(B, n_total),
            override_e=no_force,
            forced_i=empty_events(B, n_total),
            override_i=no_force,
            steer_e=np.zeros(N),
            steer_i=np.zeros(N),
        )
        res = engine.simulate(cfg, state, batch, plastic=True, n_steps=n_total, n_rec=n_pres, bin_steps=n_pres)
        spikes = res.counts_e.sum(axis=(1, 2))
        for b, r in enumerate(active):
            epoch = min(pos[r] // n, cfg.epochs - 1)
            if spikes[b] < cfg.min_spikes and retriable and retries[r] < cfg.max_retries:
                retries[r] += 1
                stats[r]["retries"][epoch] += 1
                continue
            if spikes[b] < cfg.min_spikes:  # retries ran out (or none allowed): accepted as it is
                stats[r]["exhausted"][epoch] += 1
            stats[r]["spikes"][epoch] += spikes[b]
            stats[r]["presentations"][epoch] += 1
            pos[r] += 1
            retries[r] = 0
            bar.update(1)
    bar.close()
    return [
        {
            "mean_exc_spikes": (s["spikes"] / np.maximum(s["presentations"], 1)).tolist(),
            "retries": s["retries"].tolist(),
            "retries_exhausted": s["exhausted"].tolist(),
        }
        for s in stats
    ]


def _poisson_training_inputs(cfg, xs, active, rngs, retries, n_pres: int, n_total: int) -> Events:
    """Input events of one training step: replica ``active[b]`` sees row ``xs[b]`` at the input rate
    its retries have reached, Poisson (or latency) trains drawn from that replica's generator."""
    B = len(active)
    rates = np.empty(xs.shape)
    rate_col = np.empty((B, 1))
    seeds = np.empty(B, np.int64)
    for b, r in enumerate(active):
        rate = min(cfg.input_rate_hz + retries[r] * cfg.rate_step_hz, 1000.0 / cfg.dt_ms)
        rates[b] = xs[b] * rate
        rate_col[b] = rate
        seeds[b] = rngs[r].integers(0, 2**32)
    # all replicas' trains in one call (sample b's trains depend only on seeds[b])
    return encode(
        cfg,
        xs if cfg.encoding == "latency" else None,
        rate_col,
        seeds,
        n_pres,
        n_total=n_total,
        rngs=lambda: [rngs[r] for r in active],
        rates_hz=rates,
    )


def _with_rest(events: Events, n_total: int) -> Events:
    """``events`` of ``n_steps`` steps per sample as events of ``n_total >= n_steps`` steps (the
    extra steps, the rest after a presentation, without input spikes)."""
    n, B = events.n_steps, events.n_batch
    step = np.minimum(np.arange(n_total + 1), n)  # a step past the window points at the window's end
    ptr = events.ptr[(np.arange(B)[:, None] * n + step[None, :-1]).ravel()]
    return Events(np.concatenate([ptr, events.ptr[-1:]]).astype(np.int64), events.idx, n_total)


def _retriable(cfg: SNNConfig, given) -> bool:
    """Whether a silent presentation may be presented again with more drive (D&C's retry).

    Only Poisson rate codes: a retry raises the rate, which keeps the information where it is
    (in counts). Given events have no rate to raise. A latency code has one spike per input; the
    drive a retry could add is background on every input, which carries nothing about the input:
    with it, D&C's network (100 random units, weight sum 12) fired 41 spikes per latency-coded
    digit, 78% of them after 60 ms (every input spike comes before 50 ms), and a logistic decoder
    of its counts read 12% of the test digits (chance 10%)."""
    return given is None and cfg.encoding == "poisson"


# D&C's working range is 5-30 excitatory spikes per presentation; far above it is runaway firing
RUNAWAY_SPIKES = 150.0


def _check_training(history: dict, cfg: SNNConfig, n: int, given: bool = False) -> None:
    """Warn when training left the network silent (retries ran out) or firing out of control;
    ``given``: the inputs could not be retried (given events, a latency code)."""
    exhausted = sum(history["retries_exhausted"])
    if exhausted > 0.05 * n * cfg.epochs:
        if given:  # nothing to retry: the drive comes from the weights alone
            cause = f"(given input events and latency codes are never retried; weight_sum={cfg.weight_sum:g})"
            fix = "the layer fires too little for these events; raise weight_sum (at most n_inputs * w_max)"
        else:
            cause = (
                f"after max_retries={cfg.max_retries} retries (input_rate_hz={cfg.input_rate_hz:g}, "
                f"weight_sum={cfg.weight_sum:g})"
            )
            fix = "the layer is near silent; raise input_rate_hz or weight_sum"
        warnings.warn(
            f"{exhausted} of {n * cfg.epochs} training presentations stayed below min_spikes={cfg.min_spikes} "
            f"{cause}: {fix}",
            FiringWarning,
            stacklevel=3,
        )
    worst = max(history["mean_exc_spikes"])
    if worst > RUNAWAY_SPIKES:
        warnings.warn(
            f"runaway firing: {worst:.0f} excitatory spikes per training presentation on average in one epoch "
            f"(D&C's range is 5-30); use method='exponential_euler' or a smaller input_rate_hz",
            FiringWarning,
            stacklevel=3,
        )
