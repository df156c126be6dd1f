"""Readouts from unit activity to task outputs, shared by the spiking and Hebbian networks.

:class:`LabelAssignment` is Diehl & Cook's readout: each unit is assigned the class
(or, multilabel, the factor) it responds to most on training data; the score of a
class is the mean activity of the units assigned to it. :class:`LogisticReadout` is a
logistic regression on the same activity. Both are scikit-learn style estimators.
"""

from __future__ import annotations

import numpy as np


class LabelAssignment:
    """Label-assignment readout on ``[n_samples, n_units]`` activity (e.g. spike counts).

    Fitted attributes: ``response_`` ``[n_outputs, n_units]`` mean activity per class
    (multilabel: mean when the factor is present minus when absent), ``assignment_``
    ``[n_units]`` the class of each unit (-1 for units silent on all training data),
    ``threshold_`` ``[n_outputs]`` (multilabel only: the score halfway between the mean
    score of training samples with and without the factor).
    """

    def __init__(self, kind: str = "multiclass"):
        self.kind = kind

    def fit(self, activity: np.ndarray, y: np.ndarray) -> LabelAssignment:
        a = np.asarray(activity, dtype=np.float64)
        y = np.asarray(y)
        if self.kind == "multiclass":
            n_out = int(y.max()) + 1
            resp = np.zeros((n_out, a.shape[1]))
            for c in range(n_out):
                if (y == c).any():
                    resp[c] = a[y == c].mean(axis=0)
        else:
            yb = y.astype(bool)
            n_out = yb.shape[1]
            resp = np.zeros((n_out, a.shape[1]))
            for f in range(n_out):
                on, off = a[yb[:, f]], a[~yb[:, f]]
                resp[f] = (on.mean(axis=0) if len(on) else 0.0) - (off.mean(axis=0) if len(off) else 0.0)
        self.response_ = resp
        assignment = resp.argmax(axis=0)
        assignment[a.max(axis=0) <= 0] = -1
        self.assignment_ = assignment
        self.n_outputs_ = n_out
        if self.kind == "multilabel":
            scores = self._scores(a)
            on = np.array([scores[yb[:, f], f].mean() if yb[:, f].any() else 1.0 for f in range(n_out)])
            off = np.array([scores[~yb[:, f], f].mean() if (~yb[:, f]).any() else 0.0 for f in range(n_out)])
            self.threshold_ = np.maximum((on + off) / 2.0, 1e-12)
        return self

    def _scores(self, a: np.ndarray) -> np.ndarray:
        scores = np.zeros((a.shape[0], self.n_outputs_))
        for c in range(self.n_outputs_):
            units = self.assignment_ == c
            if units.any():
                scores[:, c] = a[:, units].mean(axis=1)
        return scores

    def decision_function(self, activity: np.ndarray) -> np.ndarray:
        """``[n_samples, n_outputs]`` scores; multilabel scores are scaled so 0.5 is the threshold."""
        scores = self._scores(np.asarray(activity, dtype=np.float64))
        if self.kind == "multilabel":
            scores = scores / (2.0 * self.threshold_)
        return scores

    def predict(self, activity: np.ndarray) -> np.ndarray:
        s = self.decision_function(activity)
        return s >= 0.5 if self.kind == "multilabel" else s.argmax(axis=1)


class LogisticReadout:
    """Logistic regression on standardised activity (one-vs-rest for multilabel).

    Fitted attributes: ``model_`` (the scikit-learn estimator), ``mean_``/``scale_``.
    """

    def __init__(self, kind: str = "multiclass", C: float = 1.0, seed: int = 0):
        self.kind, self.C, self.seed = kind, C, seed

    def fit(self, activity: np.ndarray, y: np.ndarray) -> LogisticReadout:
        from sklearn.linear_model import LogisticRegression
        from sklearn.multioutput import MultiOutputClassifier

        a = np.asarray(activity, dtype=np.float64)
        self.mean_ = a.mean(axis=0)
        self.scale_ = a.std(axis=0) + 1e-9
        z = (a - self.mean_) / self.scale_
        base = LogisticRegression(C=self.C, max_iter=2000, random_state=self.seed)
        if self.kind == "multilabel":
            y = np.asarray(y).astype(int)
            # A factor seen with a single value in training cannot be fit: remember the constant.
            self.constant_ = {f: float(y[0, f]) for f in range(y.shape[1]) if len(np.unique(y[:, f])) < 2}
            cols = [f for f in range(y.shape[1]) if f not in self.constant_]
            self.columns_ = cols
            self.n_outputs_ = y.shape[1]
            self.model_ = MultiOutputClassifier(base).fit(z, y[:, cols]) if cols else None
        else:
            self.model_ = base.fit(z, y)
            self.n_outputs_ = int(np.max(y)) + 1
        return self

    def decision_function(self, activity: np.ndarray) -> np.ndarray:
        """``[n_samples, n_outputs]`` probabilities."""
        z = (np.asarray(activity, dtype=np.float64) - self.mean_) / self.scale_
        out = np.zeros((len(z), self.n_outputs_))
        if self.kind == "multilabel":
            for f, v in self.constant_.items():
                out[:, f] = v
            if self.model_ is not None:
                probs = self.model_.predict_proba(z)
                for j, f in enumerate(self.columns_):
                    out[:, f] = probs[j][:, 1]
            return out
        out[:, self.model_.classes_] = self.model_.predict_proba(z)
        return out

    def predict(self, activity: np.ndarray) -> np.ndarray:
        s = self.decision_function(activity)
        return s >= 0.5 if self.kind == "multilabel" else s.argmax(axis=1)


def make_readout(name: str, kind: str, seed: int = 0):
    return LabelAssignment(kind) if name == "assignment" else LogisticReadout(kind, seed=seed)


def readout_to_arrays(readout) -> dict[str, np.ndarray]:
    """The fitted state of a readout as plain arrays (for ``.npz`` files without pickles)."""
    if isinstance(readout, LabelAssignment):
        out = {
            "type": np.array("assignment"),
            "kind": np.array(readout.kind),
            "response": readout.response_,
            "assignment": readout.assignment_,
            "n_outputs": np.array(readout.n_outputs_),
        }
        if readout.kind == "multilabel":
            out["threshold"] = readout.threshold_
        return out
    out = {
        "type": np.array("logistic"),
        "kind": np.array(readout.kind),
        "mean": readout.mean_,
        "scale": readout.scale_,
        "n_outputs": np.array(readout.n_outputs_),
        "C": np.array(readout.C),
        "seed": np.array(readout.seed),
    }
    if readout.kind == "multilabel":
        out["columns"] = np.array(readout.columns_, np.int64)
        out["constant_keys"] = np.array(list(readout.constant_), np.int64)
        out["constant_values"] = np.array(list(readout.constant_.values()), np.float64)
        ests = readout.model_.estimators_ if readout.model_ is not None else []
        out["coef"] = np.stack([e.coef_ for e in ests]) if ests else np.zeros((0, 1, len(readout.mean_)))
        out["intercept"] = np.stack([e.intercept_ for e in ests]) if ests else np.zeros((0, 1))
    else:
        out["coef"] = readout.model_.coef_
        out["intercept"] = readout.model_.intercept_
        out["classes"] = readout.model_.classes_
    return out


def readout_from_arrays(a: dict[str, np.ndarray]):
    """Rebuild a fitted readout from :func:`readout_to_arrays`."""
    from sklearn.linear_model import LogisticRegression

    kind = str(a["kind"])
    if str(a["type"]) == "assignment":
        r = LabelAssignment(kind)
        r.response_, r.assignment_, r.n_outputs_ = a["response"], a["assignment"], int(a["n_outputs"])
        if kind == "multilabel":
            r.threshold_ = a["threshold"]
        return r
    r = LogisticReadout(kind, C=float(a["C"]), seed=int(a["seed"]))
    r.mean_, r.scale_, r.n_outputs_ = a["mean"], a["scale"], int(a["n_outputs"])

    def lr(coef, intercept, classes):
        m = LogisticRegression(C=r.C)
        m.coef_, m.intercept_, m.classes_ = coef, intercept, classes
        m.n_features_in_ = coef.shape[1]
        return m

    if kind == "multilabel":
        from sklearn.multioutput import MultiOutputClassifier

        r.columns_ = a["columns"].tolist()
        r.constant_ = dict(zip(a["constant_keys"].tolist(), a["constant_values"].tolist()))
        ests = [lr(c, i, np.array([0, 1])) for c, i in zip(a["coef"], a["intercept"])]
        if ests:
            r.model_ = MultiOutputClassifier(LogisticRegression())
            r.model_.estimators_ = ests
        else:
            r.model_ = None
    else:
        r.model_ = lr(a["coef"], a["intercept"], a["classes"])
    return r
