"""The issue's worked example as files: a 24-flat building, its bills and readings for 2023-24 and 2024-25."""
REGISTRY_HEADER = ("building_code;address;quartiere;presidio;lat;lon;owner;district_heating;scala;piano;interno;"
                   "household_code;members;arrears_band;heating_eligible;superficie_m2")
BUILDING = "BEX-01"


def registry_csv():
    rows = [REGISTRY_HEADER]
    for flat in range(1, 25):
        rows.append(f"{BUILDING};Via Esempio Calcolo 1;16;P-CEN;45,1330;10,0240;comune;si;;{flat // 4};{flat};"
                    f"DEMO-EXA-{flat:03d};2;none;si;65")
    return "\n".join(rows) + "\n"


def bills_csv(seasons=("2023-24", "2024-25"), alpha="0,6"):
    lines = ["codice_stabile;stagione;mwh;euro_mwh;quota_fissa_euro;quota_volontaria"]
    values = {"2023-24": "180;150;3000", "2024-25": "190;160;3150"}
    return "\n".join(lines + [f"{BUILDING};{s};{values[s]};{alpha}" for s in seasons]) + "\n"


def readings_csv(season, flat_one_units=None, days=182, flat_24_units=None):
    """Flat 1 has 42 millesimi and 1,000 then 1,100 units; the others make up 1,000 and 24,000 / 25,500."""
    lines = ["codice_stabile;stagione;scala;interno;millesimi;unita;stimata;giorni_occupazione;codice_nucleo"]
    first = flat_one_units or {"2023-24": 1000, "2024-25": 1100}[season]
    for flat in range(1, 25):
        millesimi = 42 if flat == 1 else 56 if flat == 24 else 41
        if flat == 1:
            units = first
        elif season == "2023-24":
            units = 1000
        else:
            units = (flat_24_units or 1058) if flat == 24 else 1061
        lines.append(f"{BUILDING};{season};;{flat};{millesimi};{units};no;{days};DEMO-EXA-{flat:03d}")
    return "\n".join(lines) + "\n"


# The corrections of flat 1 (and of flat 24, which changes the building's total): its contribution
# goes from 177.99 to 190.50, then to 160.00.
CORRECTIONS = {"190.50": (1114, 1002), "160.00": (1074, 1008)}


def load_example(runner, tmp_path):
    """Import the example building, its bills and both seasons' readings through the CLI."""
    files = {"registry.csv": registry_csv(), "bills.csv": bills_csv(),
             "r1.csv": readings_csv("2023-24"), "r2.csv": readings_csv("2024-25")}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for args in (["registry", "import"], ["heating", "import-bills"]):
        result = runner.invoke(args=[*args, str(tmp_path / ("registry.csv" if args[0] == "registry" else "bills.csv"))])
        assert result.exit_code == 0, result.output
    for name in ("r1.csv", "r2.csv"):
        result = runner.invoke(args=["heating", "import-readings", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
