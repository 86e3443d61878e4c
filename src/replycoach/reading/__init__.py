"""Understanding the customer: scenario, mode, anger, urgency, risks, type, entities, asks and the restatement, from the clean message text."""
