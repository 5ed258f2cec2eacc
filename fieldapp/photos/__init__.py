"""Photos, a service every area uses: the pipeline, the stores (local disk or S3), attachments to records,
the records they may belong to, uploads sent with a form or one by one, and the /photos/ route.

The names below are the service's surface; the modules behind them are its own business.
"""
from fieldapp.photos.objects import StoreUnavailable
from fieldapp.photos.pipeline import MESSAGES, PhotoError, ProcessedPhoto, process
from fieldapp.photos.store import LocalPhotoStore, photo_store

__all__ = ["MESSAGES", "LocalPhotoStore", "PhotoError", "ProcessedPhoto", "StoreUnavailable", "photo_store",
           "process"]
