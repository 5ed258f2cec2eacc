"""The arrears team: ledger, cases, repayment plans, case conferences."""
