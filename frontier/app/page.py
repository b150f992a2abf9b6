"""The page of ``frontier app`` (a Streamlit script: ``streamlit run`` executes it for every interaction).

Data -> analysis -> run -> results, each part derived from the package: the form from the command line's
declarations (:mod:`frontier.app.form`), the run in its own process (:mod:`frontier.app.runs`), the downloads,
methods paragraph and code from the result (:mod:`frontier.app.report`). Everything a browser tab holds is in its
own ``st.session_state``. No text of the data or of a settings file is ever executed.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import streamlit as st

from frontier.app import form, report, runs, uploads
from frontier.app.texts import LANGUAGES, group_title, t
from frontier.cli.commands import COMMAND, COMMANDS
from frontier.cli.files import read_checked
from frontier.cli.runner import arguments

os.environ.setdefault("MPLBACKEND", "Agg")
state = st.session_state


def lang() -> str:
    return state.get("language", "en")


def key(cmd, field) -> str:
    return f"{cmd.name}.{field.name}"


def folder():
    if "folder" not in state:
        state["folder"] = uploads.session_folder()
    return state["folder"]


# ----------------------------------------------------------------------------------------------------
# callbacks (run before the page is drawn, so they may set the widgets' values)
# ----------------------------------------------------------------------------------------------------

def use_data(path, name, sheet=None) -> None:
    state["data_path"], state["data_name"], state["sheet"] = str(path), name, sheet
    state["data"] = uploads.read(path, sheet)
    state.pop("run", None)


def fill_form(cmd, values: dict) -> None:
    state["analysis"] = cmd.name
    for field in form.fields(cmd):
        if values.get(field.name) is None:
            state.pop(key(cmd, field), None)     # the widget's first option: the default
        else:
            state[key(cmd, field)] = values[field.name]


def load_example() -> None:
    panel, cmd, values = form.example()
    path = folder() / "uploads" / form.EXAMPLE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    panel.to_csv(path, index=False)
    use_data(path, form.EXAMPLE_FILE)
    fill_form(cmd, values)


def load_settings_file() -> None:
    upload = state.get("settings_upload")
    if upload is None:
        return
    try:
        cmd, values, content = form.load_settings(upload.getvalue())
    except ValueError as exc:
        state["settings_error"] = str(exc)
        return
    state.pop("settings_error", None)
    fill_form(cmd, values)
    state["settings_name"] = upload.name


def read_upload() -> None:
    upload = state.get("data_upload")
    if upload is None:
        return
    path = uploads.save_upload(folder(), upload.name, upload.getvalue())
    try:
        names = uploads.sheets(path)
        use_data(path, upload.name, names[0] if names else None)
        state.pop("data_error", None)
    except (ValueError, OSError, ImportError) as exc:
        state["data_error"] = str(exc)


def choose_sheet() -> None:
    use_data(state["data_path"], state["data_name"], state["sheet_choice"])


def form_values(cmd) -> dict:
    """The form's values (an unset field is None: the function's default)."""
    return {field.name: state.get(key(cmd, field)) for field in form.fields(cmd)}


def start_run() -> None:
    cmd = COMMAND[state["analysis"]]
    state.pop("run", None)
    state.pop("run_error", None)
    try:
        tokens = form.arguments(cmd, form_values(cmd))
        args = form.parse(cmd, state["data_path"], tokens)
        args.sheet = state.get("sheet")
        frame = read_checked(args, cmd.text_columns(args), {})
        data, keywords = arguments(cmd, args, frame)
    except (ValueError, KeyError, OSError, ImportError) as exc:
        state["run_error"] = str(exc)
        return
    if "progress" in form.analysis_of(cmd).parameters:
        keywords["progress"] = True
    state["run"] = runs.Run(cmd.name, data, keywords, args)
    state["run_context"] = {"cmd": cmd, "args": args, "frame": frame, "tokens": tokens,
                            "data_name": state["data_name"], "sheet": state.get("sheet")}
    state.pop("files", None)


def cancel_run() -> None:
    if "run" in state:
        state["run"].cancel()


# ----------------------------------------------------------------------------------------------------
# the page
# ----------------------------------------------------------------------------------------------------

st.set_page_config(page_title="frontier", layout="wide")
with st.sidebar:
    st.radio(t("language", lang()), list(LANGUAGES), format_func=LANGUAGES.get, key="language", horizontal=True)
    st.button(t("example", lang()), on_click=load_example, help=t("example_help", lang()), key="example_button")
    st.file_uploader(t("settings_file", lang()), type=["json"], key="settings_upload", on_change=load_settings_file)
    if state.get("settings_error"):
        st.error(state["settings_error"])
    elif state.get("settings_name"):
        st.caption(t("settings_loaded", lang(), name=state["settings_name"]))

st.title(t("title", lang()))
st.caption(t("intro", lang()))

# ---- 1. data
st.header(t("data", lang()))
st.file_uploader(t("upload", lang()), type=list(uploads.EXTENSIONS), key="data_upload", on_change=read_upload)
if state.get("data_error"):
    st.error(state["data_error"])
if "data" not in state and state.get("data_path"):        # a path set from outside (tests, a reloaded session)
    use_data(state["data_path"], state.get("data_name") or os.path.basename(state["data_path"]))
frame = state.get("data")
if frame is None:
    st.info(t("no_data", lang()))
    st.stop()
sheet_names = uploads.sheets(Path(state["data_path"]))
if sheet_names and len(sheet_names) > 1:
    st.selectbox(t("sheet", lang()), sheet_names, index=sheet_names.index(state.get("sheet") or sheet_names[0]),
                 key="sheet_choice", on_change=choose_sheet)
st.write(t("rows", lang(), name=state["data_name"], rows=len(frame), cols=frame.shape[1]))
st.dataframe(frame.head(50), height=220)
with st.expander(t("columns", lang()), expanded=False):
    shown = uploads.preview(frame)
    shown.columns = [t(c, lang()) for c in shown.columns]
    st.dataframe(shown, hide_index=True)
columns = [str(c) for c in frame.columns]

# ---- 2. analysis
st.header(t("analysis", lang()))
state.setdefault("analysis", COMMANDS[0].name)
st.selectbox(t("choose", lang()), [c.name for c in COMMANDS], key="analysis",
             format_func=lambda name: f"{name}: {COMMAND[name].help}")
cmd = COMMAND[state["analysis"]]


def field_label(field) -> str:
    """The field's plain name in the page's language, then its keyword in the Python API and the command line in
    small type ("Returns to scale · `rts`"; the name alone where it is the keyword, "Inputs"): users learn the
    names the reproducing code and the settings file use. A required field is starred."""
    label = field.label_in(lang())
    if label.lower() != field.name.lower():
        label += f" :small[· `{field.name}`]"
    return label + (" *" if field.required else "")


def field_widget(cmd, field) -> None:
    label = field_label(field)
    help_text = field.help_in(lang())
    k = key(cmd, field)
    # the options' labels do not depend on the language: Streamlit would take relabelled options for a new widget
    default = f"({field.default})" if field.default is not None else "—"
    if field.kind == "columns":
        current = [c for c in (state.get(k) or []) if c in columns]
        state[k] = current
        st.multiselect(label, columns, key=k, help=help_text)
    elif field.kind in ("column", "mask"):
        if k in state and (state[k] is None or state[k] not in columns):
            del state[k]                         # unset: the widget shows its first option, "—"
        st.selectbox(label, [None] + columns, key=k, help=help_text,
                     format_func=lambda v: "—" if v is None else v)
    elif field.kind == "choice":
        options = [None] + list(field.choices or ())
        if k in state and (state[k] is None or state[k] not in options):
            del state[k]                         # unset: the widget shows its first option, the default
        st.selectbox(label, options, key=k, help=help_text,
                     format_func=lambda v: default if v is None else str(v))
    elif field.kind == "switch":
        if k in state and state[k] not in (True, False):
            del state[k]
        st.selectbox(label, [None, True, False], key=k, help=help_text,
                     format_func=lambda v: default if v is None else str(v).lower())
    else:
        if state.get(k) is not None and not isinstance(state.get(k), str):
            state[k] = str(state[k])
        st.text_input(label, key=k, help=help_text, placeholder=t("default_is", lang(), value=field.default)
                      if field.default is not None else t("default", lang()))


fields = form.fields(cmd)
st.subheader(t("variables", lang()))
role_fields = [f for f in fields if f.names_columns]
grid = st.columns(3)
for i, field in enumerate(role_fields):
    with grid[i % 3]:
        field_widget(cmd, field)
for title in dict.fromkeys(f.group for f in fields if not f.names_columns):
    title_shown = group_title(title, lang())
    with st.expander(t("options", lang(), title=title_shown), expanded=title in ("model", "index")):
        grid = st.columns(3)
        for i, field in enumerate(f for f in fields if f.group == title and not f.names_columns):
            with grid[i % 3]:
                field_widget(cmd, field)

problem = uploads.check_roles(frame, form_values(cmd))
if problem:
    st.warning(f"{t('check', lang())}: {problem}")

# ---- 3. run
st.header(t("run_section", lang()))
run = state.get("run")
st.button(t("run", lang()), on_click=start_run, type="primary", key="run_button",
          disabled=bool(run and run.running))
if state.get("run_error"):
    st.error(t("failed", lang(), error=state["run_error"]))


#: how often the page reads a running run's progress (seconds)
POLL_SECONDS = 0.3


def follow(run) -> None:
    """Show the run's progress until it ends, then rerun the page, which shows the result.

    The script itself waits for the run (reading it every :data:`POLL_SECONDS`). It had polled from a fragment
    rerun by a timer in the browser (``st.fragment(run_every=0.5)``), so the result came only with a later request
    from the browser, and a fragment that found the run ended by another script run returned without showing it:
    on a loaded machine the progress bar sometimes stayed until the user touched a widget. Now every script run that
    finds the run going follows it to its end. The page stays responsive: each progress update is a point where
    Streamlit stops the script for a click (Cancel, any widget), and the new script run follows the run again or
    shows how it ended."""
    bar = st.empty()
    st.button(t("cancel", lang()), on_click=cancel_run, key="cancel_button")
    while run.poll() == "running":
        fraction = run.fraction
        text = (t("running", lang(), done=run.done, total=run.total) if fraction is not None
                else t("starting", lang()))
        bar.progress(fraction or 0.0, text=text)
        time.sleep(POLL_SECONDS)
    st.rerun()


if run is not None and run.running:
    follow(run)
if run is None:
    st.stop()
if run.state == "cancelled":
    st.warning(t("cancelled", lang()))
    st.stop()
if run.state == "error":
    st.error(t("failed", lang(), error=run.error))
    st.stop()

# ---- 4. results
context = state["run_context"]
result, cmd = run.result, context["cmd"]
if "files" not in state:
    state["files"] = report.write_files(folder() / f"run{id(run)}", cmd, result, context["frame"], context["args"],
                                        context["data_name"], context["tokens"], context["sheet"])
files, file_warnings = state["files"]
st.header(t("results", lang()))
st.caption(t("took", lang(), seconds=run.seconds))
for text in list(dict.fromkeys(run.warnings + file_warnings)):
    st.warning(text)
summary, table, figures, downloads, methods, reproduce = st.tabs(
    [t(k, lang()) for k in ("summary", "table", "figures", "downloads", "methods", "reproduce")])
with summary:
    if hasattr(result, "level_means"):
        means = result.level_means()
        first, last = means.index[0], means.index[-1]
        st.markdown(t("gtfp_line", lang(), first=first, last=last, value=means["gtfp"].iloc[-1],
                      n=int(means["n"].iloc[-1]),
                      mean=t("geometric" if result.spec.ratio else "arithmetic", lang())))
    st.code(str(result.summary()), language=None)
with table:
    st.dataframe(result.to_frame())
with figures:
    for name, path in files.items():
        if name.endswith(".png"):
            st.image(str(path), caption=name)
with downloads:
    for name, path in files.items():
        st.download_button(name, path.read_bytes(), file_name=name, key=f"download {name}")
with methods:
    for language in (lang(), "zh" if lang() == "en" else "en"):
        st.markdown(report.methods(result, cmd, language))
with reproduce:
    st.markdown(f"**{t('python', lang())}**")
    st.code(files["reproduce.py"].read_text(encoding="utf-8"), language="python")
    st.markdown(f"**{t('command', lang())}**")
    st.code(files["command.txt"].read_text(encoding="utf-8"), language="bash")
    st.download_button(t("settings", lang()), files["settings.json"].read_bytes(), file_name="settings.json",
                       key="download settings")
